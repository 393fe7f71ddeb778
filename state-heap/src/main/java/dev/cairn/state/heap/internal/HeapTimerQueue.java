package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.Timer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import java.util.Iterator;
import java.util.PriorityQueue;

/**
 * Timers on the heap. The set of timers lives in a {@link StateTable} (one copy-on-write map per key group,
 * entry = key + {@link TimerSlot}), so snapshots of timers cost the same O(1) synchronous part as other state
 * and rescale by key group. A binary heap orders them by timestamp; deletions are lazy (a deleted timer stays in
 * the heap until it reaches the top and is found missing from the table), and the heap is rebuilt when stale
 * entries outnumber live ones, so every operation is O(log n) amortized — no quadratic behaviour for millions of
 * timers.
 */
final class HeapTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    private final StateTable<K, TimerSlot<N>, Boolean> table;
    private final HeapKeyedStateBackend<K> backend;
    private final PriorityQueue<Timer<K, N>> heap = new PriorityQueue<>();
    private boolean heapBuilt;

    HeapTimerQueue(StateTable<K, TimerSlot<N>, Boolean> table, HeapKeyedStateBackend<K> backend) {
        this.table = table;
        this.backend = backend;
    }

    private CopyOnWriteStateMap<K, TimerSlot<N>, Boolean> mapOf(K key) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroupInRange(
                key, backend.getNumberOfKeyGroups(), backend.getKeyGroupRange());
        return table.mapForKeyGroup(keyGroup);
    }

    private boolean contains(Timer<K, N> timer) {
        return mapOf(timer.key()).containsKey(timer.key(), new TimerSlot<>(timer.namespace(), timer.timestamp()));
    }

    /** Restored timers are only in the table; the heap is built on first use. */
    private void ensureHeap() {
        if (heapBuilt) {
            return;
        }
        heap.clear();
        for (int keyGroup : backend.getKeyGroupRange()) {
            Iterator<StateEntry<K, TimerSlot<N>, Boolean>> entries =
                    table.mapForKeyGroup(keyGroup).iterator();
            while (entries.hasNext()) {
                StateEntry<K, TimerSlot<N>, Boolean> entry = entries.next();
                heap.add(new Timer<>(entry.key, entry.namespace.namespace(), entry.namespace.timestamp()));
            }
        }
        heapBuilt = true;
    }

    @Override
    public boolean add(Timer<K, N> timer) {
        CopyOnWriteStateMap<K, TimerSlot<N>, Boolean> map = mapOf(timer.key());
        TimerSlot<N> slot = new TimerSlot<>(timer.namespace(), timer.timestamp());
        if (map.containsKey(timer.key(), slot)) {
            return false;
        }
        map.put(timer.key(), slot, Boolean.TRUE);
        if (heapBuilt) {
            heap.add(timer);
        }
        return true;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        boolean removed = mapOf(timer.key()).remove(timer.key(), new TimerSlot<>(timer.namespace(), timer.timestamp()));
        if (removed && heapBuilt && heap.size() > 2 * table.size() + 1024) {
            heapBuilt = false; // too many stale entries: rebuild on next use
        }
        return removed;
    }

    @Override
    public Timer<K, N> peek() {
        ensureHeap();
        // The heap holds every live timer plus deleted ones not yet discarded; when the sizes match there is
        // nothing stale and the membership check can be skipped.
        while (heap.size() > table.size() && !contains(heap.peek())) {
            heap.poll();
        }
        return heap.peek();
    }

    @Override
    public Timer<K, N> poll() {
        Timer<K, N> head = peek();
        if (head != null) {
            heap.poll();
            mapOf(head.key()).remove(head.key(), new TimerSlot<>(head.namespace(), head.timestamp()));
        }
        return head;
    }

    @Override
    public int size() {
        return table.size();
    }

    StateTable<K, TimerSlot<N>, Boolean> table() {
        return table;
    }
}

package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.Timer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import java.util.Iterator;
import java.util.PriorityQueue;

/**
 * Timers on the heap, shared by the heap backend and the RocksDB backend's heap-mode timers. The set of timers
 * lives in {@link KeyGroupedStateMaps} (one copy-on-write map per key group, entry = key + {@link TimerSlot}), so
 * a snapshot of timers costs the same O(key groups) synchronous part as other heap state, never a copy of every
 * timer, and rescales by key group. A binary heap orders them by timestamp; deletions are lazy (a deleted timer
 * stays in the heap until it reaches the top and is found missing from the maps), and the heap is rebuilt when
 * stale entries outnumber live ones, so every operation is O(log n) amortized — no quadratic behaviour for millions
 * of timers.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
public final class HeapTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    private final KeyGroupedStateMaps<K, TimerSlot<N>, Boolean> maps;
    private final int numberOfKeyGroups;
    private final PriorityQueue<Timer<K, N>> heap = new PriorityQueue<>();
    private boolean heapBuilt;
    /** The number of timers in the maps, kept here because counting them costs O(key groups). */
    private int size;

    /**
     * A queue over {@code maps}, which may already hold (restored) timers; from now on only this queue changes them.
     *
     * @param numberOfKeyGroups the max parallelism keys are hashed with
     * @param maps the timers, per key group
     */
    public HeapTimerQueue(KeyGroupedStateMaps<K, TimerSlot<N>, Boolean> maps, int numberOfKeyGroups) {
        this.maps = maps;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.size = maps.size();
    }

    /** {@return the maps holding the timers} */
    public KeyGroupedStateMaps<K, TimerSlot<N>, Boolean> maps() {
        return maps;
    }

    private CopyOnWriteStateMap<K, TimerSlot<N>, Boolean> mapOf(K key) {
        return maps.mapForKeyGroup(
                KeyGroupRangeAssignment.assignToKeyGroupInRange(key, numberOfKeyGroups, maps.range()));
    }

    private boolean contains(Timer<K, N> timer) {
        return mapOf(timer.key()).containsKey(timer.key(), new TimerSlot<>(timer.namespace(), timer.timestamp()));
    }

    /** Restored timers are only in the maps; the heap is built on first use. */
    private void ensureHeap() {
        if (heapBuilt) {
            return;
        }
        heap.clear();
        for (int keyGroup : maps.range()) {
            Iterator<StateEntry<K, TimerSlot<N>, Boolean>> entries =
                    maps.mapForKeyGroup(keyGroup).iterator();
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
        size++;
        if (heapBuilt) {
            heap.add(timer);
        }
        return true;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        boolean removed = mapOf(timer.key()).remove(timer.key(), new TimerSlot<>(timer.namespace(), timer.timestamp()));
        if (removed) {
            size--;
        }
        if (removed && heapBuilt && heap.size() > 2 * size + 1024) {
            heapBuilt = false; // too many stale entries: rebuild on next use
        }
        return removed;
    }

    @Override
    public Timer<K, N> peek() {
        ensureHeap();
        // The heap holds every live timer plus deleted ones not yet discarded; when the sizes match there is
        // nothing stale and the membership check can be skipped.
        while (heap.size() > size && !contains(heap.peek())) {
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
            size--;
        }
        return head;
    }

    @Override
    public int size() {
        return size;
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Timers of a RocksDB backend kept on the heap ({@code state.backend.rocksdb.timer-service.factory: heap}): a set
 * per key group plus a binary heap with lazy deletion. Snapshots copy the timers in the synchronous part (as Flink
 * does for heap timers in RocksDB), so this suits moderate numbers of timers.
 */
final class HeapModeTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    private final RocksDBKeyedStateBackend<K> backend;
    private final String name;
    private final TypeSerializer<N> namespaceSerializer;
    private final Map<Integer, Set<Timer<K, N>>> byKeyGroup = new HashMap<>();
    private final PriorityQueue<Timer<K, N>> heap = new PriorityQueue<>();
    private int size;

    HeapModeTimerQueue(RocksDBKeyedStateBackend<K> backend, String name, TypeSerializer<N> namespaceSerializer) {
        this.backend = backend;
        this.name = name;
        this.namespaceSerializer = namespaceSerializer;
    }

    String name() {
        return name;
    }

    TypeSerializer<N> namespaceSerializer() {
        return namespaceSerializer;
    }

    private Set<Timer<K, N>> setOf(Timer<K, N> timer) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroupInRange(
                timer.key(), backend.getNumberOfKeyGroups(), backend.getKeyGroupRange());
        return byKeyGroup.computeIfAbsent(keyGroup, k -> new HashSet<>());
    }

    @Override
    public boolean add(Timer<K, N> timer) {
        if (!setOf(timer).add(timer)) {
            return false;
        }
        heap.add(timer);
        size++;
        return true;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        if (!setOf(timer).remove(timer)) {
            return false;
        }
        size--;
        if (heap.size() > 2 * size + 1024) {
            heap.removeIf(t -> !setOf(t).contains(t));
        }
        return true;
    }

    @Override
    public Timer<K, N> peek() {
        while (heap.size() > size && !setOf(heap.peek()).contains(heap.peek())) {
            heap.poll();
        }
        return heap.peek();
    }

    @Override
    public Timer<K, N> poll() {
        Timer<K, N> head = peek();
        if (head != null) {
            heap.poll();
            setOf(head).remove(head);
            size--;
        }
        return head;
    }

    @Override
    public int size() {
        return size;
    }

    /** A copy of the timers of each key group, for a snapshot's synchronous part. */
    Map<Integer, List<Timer<K, N>>> copy() {
        Map<Integer, List<Timer<K, N>>> copy = new HashMap<>();
        byKeyGroup.forEach((keyGroup, timers) -> copy.put(keyGroup, new ArrayList<>(timers)));
        return copy;
    }
}

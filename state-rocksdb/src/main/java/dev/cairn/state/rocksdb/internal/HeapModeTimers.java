package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.HeapTimerQueue;
import dev.cairn.state.support.KeyGroupedStateMaps;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.TimerSlot;

/**
 * A timer queue of a RocksDB backend kept on the heap ({@code state.backend.rocksdb.timer-service.factory: heap}):
 * the heap backend's key-group partitioned copy-on-write timer structure ({@link HeapTimerQueue}), so a snapshot's
 * synchronous part only captures each key group's bucket array — O(key groups), never a copy of every timer.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
final class HeapModeTimers<K, N> {
    private final String name;
    private volatile TypeSerializer<N> namespaceSerializer;
    private final KeyGroupedStateMaps<K, TimerSlot<N>, Boolean> maps;
    private final HeapTimerQueue<K, N> queue;

    HeapModeTimers(
            String name,
            TypeSerializer<N> namespaceSerializer,
            KeyGroupRange range,
            int numberOfKeyGroups,
            SnapshotVersions versions) {
        this.name = name;
        this.namespaceSerializer = namespaceSerializer;
        this.maps = new KeyGroupedStateMaps<>(range, versions, () -> Serializers.BOOLEAN);
        this.queue = new HeapTimerQueue<>(maps, numberOfKeyGroups);
    }

    String name() {
        return name;
    }

    TypeSerializer<N> namespaceSerializer() {
        return namespaceSerializer;
    }

    /** The application attached to restored timers with {@code serializer} (checked compatible as is). */
    void attach(TypeSerializer<N> serializer) {
        this.namespaceSerializer = serializer;
    }

    HeapTimerQueue<K, N> queue() {
        return queue;
    }

    /** Every key group's bucket array, for a snapshot whose version was started just before. */
    StateEntry<K, TimerSlot<N>, Boolean>[][] snapshotTables() {
        return maps.snapshotTables();
    }
}

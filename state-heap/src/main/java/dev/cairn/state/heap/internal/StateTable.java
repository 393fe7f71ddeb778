package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.KeyGroupedStateMaps;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateKind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * All entries of one keyed state or timer queue: one {@link CopyOnWriteStateMap} per key group of the backend's
 * range (the {@link KeyGroupedStateMaps} it extends). What describes the entries (serializers, registration,
 * restored meta information) is kept by the state's {@link dev.cairn.state.support.RegisteredState}; the table
 * keeps only the serializer copy-on-write needs to copy mutable state objects.
 *
 * @param <K> key type
 * @param <N> namespace type
 * @param <S> stored state type (value, list, map, accumulator)
 */
final class StateTable<K, N, S> extends KeyGroupedStateMaps<K, N, S> {
    private final String name;
    private final StateKind kind;
    private volatile TypeSerializer<S> stateSerializer;
    /** Serialized bytes per entry, measured by the last snapshot that wrote this state in full; NaN before. */
    private volatile double bytesPerEntry = Double.NaN;

    StateTable(
            String name,
            StateKind kind,
            KeyGroupRange range,
            SnapshotVersions versions,
            TypeSerializer<S> stateSerializer) {
        super(range, versions);
        this.name = name;
        this.kind = kind;
        this.stateSerializer = stateSerializer;
    }

    String getName() {
        return name;
    }

    StateKind getKind() {
        return kind;
    }

    @Override
    protected TypeSerializer<S> stateSerializer() {
        return stateSerializer;
    }

    /** A snapshot wrote this state in full, at {@code bytes} per entry (NaN: it wrote no entry, nothing learnt). */
    void measuredBytesPerEntry(double bytes) {
        if (!Double.isNaN(bytes)) {
            bytesPerEntry = bytes;
        }
    }

    /**
     * The state's serialized size, estimated as its entries now times the bytes per entry the last full write of it
     * measured; -1 before any snapshot wrote it. Read on a reporter's thread: the entry count is a racy sum of the
     * maps' sizes, good for a gauge.
     */
    double estimatedBytes() {
        double perEntry = bytesPerEntry;
        return Double.isNaN(perEntry) ? -1 : perEntry * size();
    }

    /** The application registered the state: its serializer copies the state objects from now on. */
    void setStateSerializer(TypeSerializer<S> serializer) {
        this.stateSerializer = serializer;
    }

    /** Replaces every entry's state with {@code transform} of it (through the maps: running snapshots are safe). */
    void transformAll(UnaryOperator<S> transform) {
        for (int keyGroup : range()) {
            CopyOnWriteStateMap<K, N, S> map = mapForKeyGroup(keyGroup);
            List<StateEntry<K, N, S>> entries = new ArrayList<>(map.size());
            map.iterator().forEachRemaining(entries::add);
            for (StateEntry<K, N, S> entry : entries) {
                map.put(entry.key(), entry.namespace(), transform.apply(entry.state()));
            }
        }
    }
}

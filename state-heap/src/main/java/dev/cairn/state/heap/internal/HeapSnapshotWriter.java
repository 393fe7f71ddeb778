package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RemovalLog;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TimerSlot;
import dev.cairn.state.support.TtlValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The asynchronous part of a heap snapshot: walks the bucket arrays captured by the synchronous part and writes
 * them in the canonical format, key group by key group. Runs on a snapshot thread while the task keeps writing;
 * it only reads entries the task thread no longer modifies (see {@link CopyOnWriteStateMap}).
 */
final class HeapSnapshotWriter<K> {

    /**
     * What an incremental snapshot's synchronous part captured of a state's changes, per key group of the range
     * (indexed from its first).
     *
     * @param removals the removals of each key group's map so far
     * @param changeVersions the version of each map's last change
     * @param bucketVersions each map's bucket versions, captured with its bucket array
     */
    record Changes(RemovalLog.View<?, ?>[] removals, int[] changeVersions, int[][] bucketVersions) {}

    /** What the synchronous part captured of one state. */
    record StateView(
            StateMetaInfo metaInfo,
            StateKind kind,
            TypeSerializer<?> namespaceSerializer,
            List<TypeSerializer<?>> valueSerializers,
            StateEntry<?, ?, ?>[][] tables,
            long cleanupTtlMillis,
            long now,
            Changes changes) {
        /** For a full snapshot: no change tracking captured. */
        StateView(
                StateMetaInfo metaInfo,
                StateKind kind,
                TypeSerializer<?> namespaceSerializer,
                List<TypeSerializer<?>> valueSerializers,
                StateEntry<?, ?, ?>[][] tables,
                long cleanupTtlMillis,
                long now) {
            this(metaInfo, kind, namespaceSerializer, valueSerializers, tables, cleanupTtlMillis, now, null);
        }

        /** Whether full-snapshot TTL cleanup applies to this state. */
        boolean cleansUp() {
            return cleanupTtlMillis > 0;
        }

        /** Whether a TTL value is dropped by full-snapshot cleanup (expired at the snapshot's time). */
        boolean expired(Object value) {
            return cleansUp() && ((TtlValue<?>) value).isExpired(cleanupTtlMillis, now);
        }
    }

    private final TypeSerializer<K> keySerializer;
    private final int numberOfKeyGroups;
    private final KeyGroupRange range;
    private final List<StateView> views;
    private final DataOutputSerializer keyBytes = new DataOutputSerializer(64);
    private final DataOutputSerializer namespaceBytes = new DataOutputSerializer(32);
    private int recordsWritten;
    /** Per state index: serialized record bytes and (key, namespace) entries of the full sections written. */
    private final long[] bytesByState;

    private final long[] entriesByState;

    HeapSnapshotWriter(
            TypeSerializer<K> keySerializer, int numberOfKeyGroups, KeyGroupRange range, List<StateView> views) {
        this.keySerializer = keySerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.range = range;
        this.views = views;
        this.bytesByState = new long[views.size()];
        this.entriesByState = new long[views.size()];
    }

    /**
     * Serialized bytes per (key, namespace) entry of the state at {@code stateIndex} in what was written in full
     * (NaN when no entry was), for the backend's size estimate.
     */
    double bytesPerEntry(int stateIndex) {
        return entriesByState[stateIndex] == 0
                ? Double.NaN
                : (double) bytesByState[stateIndex] / entriesByState[stateIndex];
    }

    /** Writes the snapshot; stops with a {@link java.util.concurrent.CancellationException} once {@code task} is. */
    KeyGroupsStateHandle write(CheckpointStreamFactory streamFactory, AsyncSnapshotTask<?> task) throws IOException {
        List<StateMetaInfo> metaInfos = new ArrayList<>(views.size());
        for (StateView view : views) {
            metaInfos.add(view.metaInfo());
        }
        try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                streamFactory.createOutputStream(StateScope.EXCLUSIVE),
                range,
                keySerializer,
                numberOfKeyGroups,
                metaInfos)) {
            for (int keyGroup = range.getStartKeyGroup(); keyGroup <= range.getEndKeyGroup(); keyGroup++) {
                task.throwIfCancelled();
                writer.startKeyGroup(keyGroup);
                for (int stateIndex = 0; stateIndex < views.size(); stateIndex++) {
                    writeKeyGroup(
                            writer, stateIndex, views.get(stateIndex).tables()[keyGroup - range.getStartKeyGroup()]);
                }
                writer.endKeyGroup();
            }
            return writer.finish();
        }
    }

    /**
     * Writes the canonical records of one state's entries in one key group; returns how many records it wrote
     * (expired values are left out).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int writeKeyGroup(CanonicalSnapshotWriter writer, int stateIndex, StateEntry<?, ?, ?>[] table) throws IOException {
        int before = recordsWritten;
        long bytesBefore = writer.recordBytes();
        StateView view = views.get(stateIndex);
        TypeSerializer namespaceSerializer = view.namespaceSerializer();
        List<TypeSerializer<?>> serializers = view.valueSerializers();
        Iterator<StateEntry<K, Object, Object>> entries = CopyOnWriteStateMap.iterate((StateEntry[]) table);
        while (entries.hasNext()) {
            StateEntry<K, Object, Object> entry = entries.next();
            entriesByState[stateIndex]++;
            keyBytes.clear();
            keySerializer.serialize(entry.key(), keyBytes);
            namespaceBytes.clear();
            Object namespace = view.kind() == StateKind.TIMERS
                    ? ((TimerSlot<?>) entry.namespace()).namespace()
                    : entry.namespace();
            namespaceSerializer.serialize(namespace, namespaceBytes);
            switch (view.kind()) {
                case TIMERS -> {
                    writePrefix(writer, stateIndex);
                    writer.writeLong(((TimerSlot<?>) entry.namespace()).timestamp());
                }
                case LIST -> {
                    List<Object> list = (List<Object>) unexpired(view, entry.state());
                    if (list == null) {
                        continue;
                    }
                    writePrefix(writer, stateIndex);
                    writer.writeCount(list.size());
                    TypeSerializer elementSerializer = serializers.get(0);
                    for (Object element : list) {
                        writer.writeSerialized(elementSerializer, element);
                    }
                }
                case MAP -> {
                    TypeSerializer userKeySerializer = serializers.get(0);
                    TypeSerializer userValueSerializer = serializers.get(1);
                    for (Map.Entry<Object, Object> mapEntry : ((Map<Object, Object>) entry.state()).entrySet()) {
                        if (view.cleansUp() && view.expired(mapEntry.getValue())) {
                            continue;
                        }
                        writePrefix(writer, stateIndex);
                        writer.writeSerialized(userKeySerializer, mapEntry.getKey());
                        Object value = mapEntry.getValue();
                        writer.writeBoolean(value == null);
                        if (value != null) {
                            writer.writeSerialized(userValueSerializer, value);
                        }
                    }
                }
                default -> {
                    if (unexpired(view, entry.state()) == null) {
                        continue;
                    }
                    writePrefix(writer, stateIndex);
                    writer.writeSerialized((TypeSerializer) serializers.get(0), entry.state());
                }
            }
        }
        bytesByState[stateIndex] += writer.recordBytes() - bytesBefore;
        return recordsWritten - before;
    }

    /** Delta record operation: the entry is gone. */
    static final boolean DELETE = false;
    /** Delta record operation: the entry's state is the one that follows. */
    static final boolean PUT = true;

    /**
     * Writes the delta records of one state in one key group of an incremental snapshot: a {@code DELETE} for every
     * removal from log position {@code removalsFrom} on, then a {@code PUT} (or, for a value that expired under
     * full-snapshot cleanup, a {@code DELETE}) for every entry changed at or after {@code baseVersion}; returns how
     * many records it wrote. Removals come first, so an entry removed and written again ends present.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int writeDelta(
            CanonicalSnapshotWriter writer, int stateIndex, int keyGroupIndex, int baseVersion, long removalsFrom)
            throws IOException {
        int before = recordsWritten;
        StateView view = views.get(stateIndex);
        Changes changes = view.changes();
        ((RemovalLog.View<Object, Object>) changes.removals()[keyGroupIndex])
                .forEachFrom(
                        removalsFrom, (key, namespace) -> writeDeltaPrefix(writer, stateIndex, key, namespace, DELETE));
        if (changes.changeVersions()[keyGroupIndex] < baseVersion) {
            return recordsWritten - before; // the map did not change since the base: nothing to look at
        }
        CopyOnWriteStateMap.forEachChangedSince(
                (StateEntry<Object, Object, Object>[]) view.tables()[keyGroupIndex],
                changes.bucketVersions()[keyGroupIndex],
                baseVersion,
                entry -> {
                    Object state = unexpired(view, entry.state());
                    writeDeltaPrefix(writer, stateIndex, entry.key(), entry.namespace(), state == null ? DELETE : PUT);
                    if (state != null && view.kind() != StateKind.TIMERS) {
                        writeState(writer, view, state);
                    }
                });
        return recordsWritten - before;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeDeltaPrefix(
            CanonicalSnapshotWriter writer, int stateIndex, Object key, Object namespace, boolean operation)
            throws IOException {
        StateView view = views.get(stateIndex);
        keyBytes.clear();
        keySerializer.serialize((K) key, keyBytes);
        namespaceBytes.clear();
        boolean timer = view.kind() == StateKind.TIMERS;
        Object plainNamespace = timer ? ((TimerSlot<?>) namespace).namespace() : namespace;
        ((TypeSerializer) view.namespaceSerializer()).serialize(plainNamespace, namespaceBytes);
        writePrefix(writer, stateIndex);
        if (timer) {
            writer.writeLong(((TimerSlot<?>) namespace).timestamp());
        }
        writer.writeBoolean(operation);
    }

    /** A whole state object: a value, a list (count, elements) or a map (count, entries). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void writeState(CanonicalSnapshotWriter writer, StateView view, Object state) throws IOException {
        List<TypeSerializer<?>> serializers = view.valueSerializers();
        switch (view.kind()) {
            case LIST -> {
                List<Object> list = (List<Object>) state;
                writer.writeCount(list.size());
                for (Object element : list) {
                    writer.writeSerialized((TypeSerializer) serializers.get(0), element);
                }
            }
            case MAP -> {
                Map<Object, Object> map = (Map<Object, Object>) state;
                writer.writeCount(map.size());
                for (Map.Entry<Object, Object> entry : map.entrySet()) {
                    writer.writeSerialized((TypeSerializer) serializers.get(0), entry.getKey());
                    writer.writeBoolean(entry.getValue() == null);
                    if (entry.getValue() != null) {
                        writer.writeSerialized((TypeSerializer) serializers.get(1), entry.getValue());
                    }
                }
            }
            default -> writer.writeSerialized((TypeSerializer) serializers.get(0), state);
        }
    }

    /** The state without values expired under full-snapshot cleanup; {@code null} when nothing remains. */
    @SuppressWarnings("unchecked")
    private static Object unexpired(StateView view, Object state) {
        if (!view.cleansUp()) {
            return state;
        }
        return switch (view.kind()) {
            case LIST -> {
                List<Object> kept = ((List<Object>) state)
                        .stream().filter(e -> !view.expired(e)).toList();
                yield kept.isEmpty() ? null : kept;
            }
            case MAP -> {
                Map<Object, Object> kept = new java.util.HashMap<>();
                ((Map<Object, Object>) state).forEach((k, v) -> {
                    if (!view.expired(v)) {
                        kept.put(k, v);
                    }
                });
                yield kept.isEmpty() ? null : kept;
            }
            case TIMERS -> state;
            default -> view.expired(state) ? null : state;
        };
    }

    private void writePrefix(CanonicalSnapshotWriter writer, int stateIndex) throws IOException {
        recordsWritten++;
        writer.startRecord(stateIndex);
        writer.writeBytes(keyBytes.getSharedBuffer(), 0, keyBytes.length());
        writer.writeBytes(namespaceBytes.getSharedBuffer(), 0, namespaceBytes.length());
    }
}

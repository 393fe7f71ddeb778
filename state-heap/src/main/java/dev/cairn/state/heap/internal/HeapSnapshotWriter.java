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

    /** What the synchronous part captured of one state. */
    record StateView(
            StateMetaInfo metaInfo,
            StateKind kind,
            TypeSerializer<?> namespaceSerializer,
            List<TypeSerializer<?>> valueSerializers,
            StateEntry<?, ?, ?>[][] tables,
            long cleanupTtlMillis,
            long now) {
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

    HeapSnapshotWriter(
            TypeSerializer<K> keySerializer, int numberOfKeyGroups, KeyGroupRange range, List<StateView> views) {
        this.keySerializer = keySerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.range = range;
        this.views = views;
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeKeyGroup(CanonicalSnapshotWriter writer, int stateIndex, StateEntry<?, ?, ?>[] table)
            throws IOException {
        StateView view = views.get(stateIndex);
        TypeSerializer namespaceSerializer = view.namespaceSerializer();
        List<TypeSerializer<?>> serializers = view.valueSerializers();
        Iterator<StateEntry<K, Object, Object>> entries = CopyOnWriteStateMap.iterate((StateEntry[]) table);
        while (entries.hasNext()) {
            StateEntry<K, Object, Object> entry = entries.next();
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
                    List<Object> list = (List<Object>) entry.state();
                    if (view.cleansUp()) {
                        list = list.stream().filter(e -> !view.expired(e)).toList();
                        if (list.isEmpty()) {
                            continue;
                        }
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
                    if (view.cleansUp() && view.expired(entry.state())) {
                        continue;
                    }
                    writePrefix(writer, stateIndex);
                    writer.writeSerialized((TypeSerializer) serializers.get(0), entry.state());
                }
            }
        }
    }

    private void writePrefix(CanonicalSnapshotWriter writer, int stateIndex) throws IOException {
        writer.startRecord(stateIndex);
        writer.writeBytes(keyBytes.getSharedBuffer(), 0, keyBytes.length());
        writer.writeBytes(namespaceBytes.getSharedBuffer(), 0, namespaceBytes.length());
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TimerSlot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores canonical snapshots into a heap backend's key-group range: reads only the key-group sections inside
 * the range (seeking past the rest) and deserializes every entry with the serializers recorded in the snapshot.
 */
final class HeapRestoreOperation<K> {
    private final HeapKeyedStateBackend<K> backend;
    private final ClassLoader classLoader;

    HeapRestoreOperation(HeapKeyedStateBackend<K> backend, ClassLoader classLoader) {
        this.backend = backend;
        this.classLoader = classLoader;
    }

    void restore(List<KeyedStateHandle> handles) throws IOException {
        KeyGroupRange range = backend.getKeyGroupRange();
        for (KeyedStateHandle handle : handles) {
            KeyedStateHandle clipped = handle.getIntersection(range);
            if (clipped == null) {
                continue;
            }
            if (!(clipped instanceof KeyGroupsStateHandle)) {
                throw new StateBackendException("The heap backend restores canonical snapshots (savepoints, heap"
                        + " checkpoints) only; cannot restore " + handle
                        + ": a native RocksDB checkpoint restores only into RocksDB; take a savepoint to switch"
                        + " backends");
            }
            restoreHandle((KeyGroupsStateHandle) clipped);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void restoreHandle(KeyGroupsStateHandle handle) throws IOException {
        KeyGroupRange range = backend.getKeyGroupRange();
        try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, classLoader)) {
            TypeSerializer<K> keySerializer =
                    reader.checkRestorableInto(backend.getNumberOfKeyGroups(), backend.getKeySerializer(), false);
            // A snapshot of Cairn's earlier key-group hash: every key is assigned its key group again.
            boolean rehash = reader.isLegacyKeyGroupHash();
            if (rehash && !handle.isLegacyKeyGroupHash()) {
                throw new CorruptCheckpointException(handle.getStream().describe()
                        + " is partitioned by the earlier key-group hash, but its metadata says otherwise");
            }
            List<RestoredState> states = new ArrayList<>();
            for (StateMetaInfo metaInfo : reader.getStates()) {
                states.add(new RestoredState(metaInfo, backend.restoredState(metaInfo)));
            }
            for (int stored : handle.getKeyGroupRange()) {
                reader.seekKeyGroup(stored);
                for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                    RestoredState state = states.get(index);
                    K key = reader.readSerialized(keySerializer);
                    Object namespace = reader.readSerialized(state.namespaceSerializer);
                    int keyGroup = rehash
                            ? KeyGroupRangeAssignment.assignToKeyGroup(key, backend.getNumberOfKeyGroups())
                            : stored;
                    // Records of key groups other backends own are read (to move on) and dropped.
                    CopyOnWriteStateMap map = range.contains(keyGroup) ? state.table.mapForKeyGroup(keyGroup) : null;
                    switch (state.metaInfo.getKind()) {
                        case TIMERS -> {
                            long timestamp = reader.readLong();
                            if (map != null) {
                                map.put(key, new TimerSlot<>(namespace, timestamp), Boolean.TRUE);
                            }
                        }
                        case LIST -> {
                            int count = reader.readCount();
                            List<Object> elements = new ArrayList<>(count);
                            for (int i = 0; i < count; i++) {
                                elements.add(reader.readSerialized(state.valueSerializers.get(0)));
                            }
                            if (map != null) {
                                List<Object> list = (List<Object>) map.get(key, namespace);
                                if (list == null) {
                                    map.put(key, namespace, new ArrayList<>(elements));
                                } else {
                                    list.addAll(elements);
                                }
                            }
                        }
                        case MAP -> {
                            Object userKey = reader.readSerialized(state.valueSerializers.get(0));
                            Object userValue =
                                    reader.readBoolean() ? null : reader.readSerialized(state.valueSerializers.get(1));
                            if (map != null) {
                                Map<Object, Object> userMap = (Map<Object, Object>) map.get(key, namespace);
                                if (userMap == null) {
                                    userMap = new HashMap<>();
                                    map.put(key, namespace, userMap);
                                }
                                userMap.put(userKey, userValue);
                            }
                        }
                        default -> {
                            Object value = reader.readSerialized(state.valueSerializers.get(0));
                            if (map != null) {
                                map.put(key, namespace, value);
                            }
                        }
                    }
                }
            }
        }
    }

    private static final class RestoredState {
        final StateMetaInfo metaInfo;
        final StateTable<?, ?, ?> table;
        final TypeSerializer<?> namespaceSerializer;
        final List<TypeSerializer<?>> valueSerializers;

        RestoredState(StateMetaInfo metaInfo, RegisteredState<? extends StateTable<?, ?, ?>> state) {
            this.metaInfo = metaInfo;
            this.table = state.storage();
            // Read with the serializers that wrote the data; the state may already carry them from another handle.
            this.namespaceSerializer = state.namespaceSerializer();
            this.valueSerializers = state.valueSerializers();
        }
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.heap.IncrementalHeapStateHandle.ChainFile;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.StateKind;
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
            if (clipped instanceof IncrementalHeapStateHandle chains) {
                restoreChains(chains);
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
                    applyCanonicalRecord(reader, state, key, namespace, map);
                }
            }
        }
    }

    /** Reads the value part of a canonical record and adds it to {@code map} (none: the record is skipped). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void applyCanonicalRecord(
            CanonicalSnapshotReader reader, RestoredState state, Object key, Object namespace, CopyOnWriteStateMap map)
            throws IOException {
        switch (state.metaInfo.getKind()) {
            case TIMERS -> {
                long timestamp = reader.readLong();
                if (map != null) {
                    map.put(key, new TimerSlot<>(namespace, timestamp), Boolean.TRUE);
                }
            }
            case LIST -> {
                List<Object> elements = readList(reader, state);
                if (map != null) {
                    List<Object> list = (List<Object>) map.get(key, namespace);
                    if (list == null) {
                        map.put(key, namespace, elements);
                    } else {
                        list.addAll(elements);
                    }
                }
            }
            case MAP -> {
                Object userKey = reader.readSerialized(state.valueSerializers.get(0));
                Object userValue = reader.readBoolean() ? null : reader.readSerialized(state.valueSerializers.get(1));
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

    private static List<Object> readList(CanonicalSnapshotReader reader, RestoredState state) throws IOException {
        int count = reader.readCount();
        List<Object> elements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            elements.add(reader.readSerialized(state.valueSerializers.get(0)));
        }
        return elements;
    }

    /**
     * Restores an incremental checkpoint key group by key group: its base, then its deltas in file order (a key
     * group's chain is its base file and the later files with a section for it). Working one key group at a time
     * keeps its maps in the CPU caches while the deltas land on them, which file-by-file passes over all key groups
     * would not; every file is still read front to back, as sections lie in key-group order. Each file is read
     * with the serializers of its own header; the states are first registered with the newest file's, which
     * describe the state as it was last written.
     */
    private void restoreChains(IncrementalHeapStateHandle handle) throws IOException {
        List<ChainFile> files = handle.getFiles();
        if (files.isEmpty()) {
            return;
        }
        List<ChainReader> readers = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
        try {
            readers.set(files.size() - 1, new ChainReader(files.get(files.size() - 1)));
            for (int keyGroup : handle.getKeyGroupRange()) {
                int base = handle.baseFile(keyGroup);
                for (int index = Math.max(base, 0); base >= 0 && index < files.size(); index++) {
                    ChainFile file = files.get(index);
                    long offset = file.offset(keyGroup);
                    if (offset < 0) {
                        continue;
                    }
                    if (readers.get(index) == null) {
                        readers.set(index, new ChainReader(file));
                    }
                    readers.get(index).apply(keyGroup, offset, index != base);
                }
            }
        } finally {
            for (ChainReader reader : readers) {
                if (reader != null) {
                    reader.reader.close();
                }
            }
        }
    }

    /** One open file of a chain, with the states and serializers of its header. */
    private final class ChainReader {
        final ChainFile file;
        final CanonicalSnapshotReader reader;
        final TypeSerializer<K> keySerializer;
        final List<RestoredState> states = new ArrayList<>();

        ChainReader(ChainFile file) throws IOException {
            this.file = file;
            this.reader = CanonicalSnapshotReader.open(file.stream(), classLoader, IncrementalHeapStateHandle.FORMAT);
            try {
                keySerializer =
                        reader.checkRestorableInto(backend.getNumberOfKeyGroups(), backend.getKeySerializer(), false);
                for (StateMetaInfo metaInfo : reader.getStates()) {
                    states.add(RestoredState.ofFile(metaInfo, backend.restoredState(metaInfo)));
                }
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
        }

        void apply(int keyGroup, long offset, boolean delta) throws IOException {
            reader.seekSection(offset, "key group " + keyGroup);
            if (reader.readBoolean() != delta) {
                throw new CorruptCheckpointException(file.stream().describe() + " holds a "
                        + (delta ? "base" : "delta") + " section for key group " + keyGroup
                        + " where the checkpoint's chain expects a " + (delta ? "delta" : "base"));
            }
            applySection(reader, states, keySerializer, keyGroup, delta);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void applySection(
            CanonicalSnapshotReader reader,
            List<RestoredState> states,
            TypeSerializer<?> keySerializer,
            int keyGroup,
            boolean delta)
            throws IOException {
        for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
            RestoredState state = states.get(index);
            Object key = reader.readSerialized(keySerializer);
            Object namespace = reader.readSerialized(state.namespaceSerializer);
            CopyOnWriteStateMap map = state.table.mapForKeyGroup(keyGroup);
            if (!delta) {
                applyCanonicalRecord(reader, state, key, namespace, map);
                continue;
            }
            boolean timer = state.metaInfo.getKind() == StateKind.TIMERS;
            Object slot = timer ? new TimerSlot<>(namespace, reader.readLong()) : namespace;
            if (reader.readBoolean() == HeapSnapshotWriter.DELETE) {
                map.remove(key, slot);
                continue;
            }
            switch (state.metaInfo.getKind()) {
                case TIMERS -> map.put(key, slot, Boolean.TRUE);
                case LIST -> map.put(key, slot, readList(reader, state));
                case MAP -> {
                    int count = reader.readCount();
                    Map<Object, Object> userMap = new HashMap<>();
                    for (int i = 0; i < count; i++) {
                        Object userKey = reader.readSerialized(state.valueSerializers.get(0));
                        userMap.put(
                                userKey,
                                reader.readBoolean() ? null : reader.readSerialized(state.valueSerializers.get(1)));
                    }
                    map.put(key, slot, userMap);
                }
                default -> map.put(key, slot, reader.readSerialized(state.valueSerializers.get(0)));
            }
        }
    }

    private static final class RestoredState {
        final StateMetaInfo metaInfo;
        final StateTable<?, ?, ?> table;
        final TypeSerializer<?> namespaceSerializer;
        final List<TypeSerializer<?>> valueSerializers;

        RestoredState(StateMetaInfo metaInfo, RegisteredState<? extends StateTable<?, ?, ?>> state) {
            this(metaInfo, state.storage(), state.namespaceSerializer(), state.valueSerializers());
        }

        private RestoredState(
                StateMetaInfo metaInfo,
                StateTable<?, ?, ?> table,
                TypeSerializer<?> namespaceSerializer,
                List<TypeSerializer<?>> valueSerializers) {
            this.metaInfo = metaInfo;
            this.table = table;
            // Read with the serializers that wrote the data; the state may already carry them from another handle.
            this.namespaceSerializer = namespaceSerializer;
            this.valueSerializers = valueSerializers;
        }

        /** A state of one file of a chain: read with that file's serializers, which may be older than the state's. */
        static RestoredState ofFile(StateMetaInfo metaInfo, RegisteredState<? extends StateTable<?, ?, ?>> state) {
            return new RestoredState(
                    metaInfo,
                    state.storage(),
                    metaInfo.getNamespaceSerializer().restoreSerializer(),
                    metaInfo.restoreValueSerializers());
        }
    }
}

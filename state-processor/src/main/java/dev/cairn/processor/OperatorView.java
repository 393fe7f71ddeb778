package dev.cairn.processor;

import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.processor.internal.CanonicalConversion;
import dev.cairn.processor.internal.CanonicalEntries;
import dev.cairn.processor.internal.HandleKeys;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.OperatorStateFormat;
import dev.cairn.state.support.SerializerSnapshots;
import dev.cairn.state.support.StateMetaInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One operator of a checkpoint: its keyed state (one handle per instance that had some) and operator state.
 *
 * <p>Canonical state (savepoints, heap checkpoints) is read directly from its streams. Native RocksDB and changelog
 * checkpoints are converted into the canonical format the first time their entries are read (see
 * {@link Savepoints#convert}), into the view's temporary directory.
 */
public final class OperatorView {
    private static final int WRITE_BUFFER_SIZE = 64 * 1024;

    private final CheckpointView checkpoint;
    private final OperatorSnapshot snapshot;
    private List<KeyGroupsStateHandle> canonical;
    /** The checkpoint never changes: its states and key groups are read once. */
    private List<StateInfo> keyedStates;

    private OptionalInt maxParallelism;

    private Map<String, StateSize> stateSizes;

    OperatorView(CheckpointView checkpoint, OperatorSnapshot snapshot) {
        this.checkpoint = checkpoint;
        this.snapshot = snapshot;
    }

    /** {@return the operator's stable identifier} */
    public String id() {
        return snapshot.operatorId();
    }

    /** {@return the number of instances that had keyed state} */
    public int keyedInstances() {
        return snapshot.keyedState().size();
    }

    /** {@return the number of instances that had operator state} */
    public int operatorInstances() {
        return snapshot.operatorState().size();
    }

    /**
     * The formats of the keyed-state handles.
     *
     * @return {@code canonical}, {@code rocksdb-native}, {@code rocksdb-incremental} or {@code changelog}; several
     *     when the instances differ; empty without keyed state
     */
    public Set<String> formats() {
        Set<String> formats = new LinkedHashSet<>();
        for (KeyedStateHandle handle : snapshot.keyedState()) {
            formats.add(HandleKeys.format(handle));
        }
        return formats;
    }

    /** {@return the bytes of the keyed state of all instances (for incremental checkpoints: all files referenced)} */
    public long keyedStateSize() {
        return snapshot.keyedState().stream()
                .mapToLong(KeyedStateHandle::getStateSize)
                .sum();
    }

    /** {@return the bytes of the operator state of all instances} */
    public long operatorStateSize() {
        return snapshot.operatorState().stream()
                .mapToLong(OperatorStateHandle::getStateSize)
                .sum();
    }

    /**
     * The max parallelism (number of key groups) the keyed state was written with.
     *
     * @return the max parallelism; empty without keyed state
     * @throws IOException when a stream cannot be read
     */
    public OptionalInt maxParallelism() throws IOException {
        if (maxParallelism == null) {
            maxParallelism = OptionalInt.empty();
            for (KeyedStateHandle handle : snapshot.keyedState()) {
                Optional<HandleKeys> keys = HandleKeys.of(handle, checkpoint.classLoader());
                if (keys.isPresent()) {
                    maxParallelism = OptionalInt.of(keys.get().numberOfKeyGroups());
                    break;
                }
            }
        }
        return maxParallelism;
    }

    /**
     * The keyed states and timer queues, from the snapshots' meta information (the union over instances).
     *
     * @return the states, in the order the first instance lists them
     * @throws IOException when a stream cannot be read
     */
    public List<StateInfo> keyedStates() throws IOException {
        if (keyedStates != null) {
            return keyedStates;
        }
        Map<String, StateInfo> states = new LinkedHashMap<>();
        for (KeyGroupsStateHandle handle : metaDataHandles()) {
            try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, checkpoint.classLoader())) {
                for (StateMetaInfo meta : reader.getStates()) {
                    states.putIfAbsent(meta.getName(), info(meta));
                }
            }
        }
        keyedStates = List.copyOf(states.values());
        return keyedStates;
    }

    /**
     * The key-group ranges of the instances that had keyed state, one per instance, in key-group order.
     *
     * @return the ranges, each as {@code [first, last]} (inclusive)
     */
    public List<int[]> keyGroupRanges() {
        List<int[]> ranges = new ArrayList<>();
        for (KeyedStateHandle handle : snapshot.keyedState()) {
            ranges.add(new int[] {
                handle.getKeyGroupRange().getStartKeyGroup(),
                handle.getKeyGroupRange().getEndKeyGroup()
            });
        }
        ranges.sort(java.util.Comparator.comparingInt(range -> range[0]));
        return ranges;
    }

    /**
     * How much each keyed state holds, counted by reading every record once (skipping values undecoded; native
     * RocksDB and changelog state is converted first, as for {@link #entries}). Memory stays bounded: one record
     * at a time.
     *
     * @return entries and bytes per state name, in the order of {@link #keyedStates()}
     * @throws IOException when the state cannot be read or converted
     */
    public Map<String, StateSize> stateSizes() throws IOException {
        if (stateSizes == null) {
            Map<String, long[]> totals = new LinkedHashMap<>();
            keyedStates().forEach(state -> totals.put(state.name(), new long[2]));
            for (KeyGroupsStateHandle handle : canonicalHandles()) {
                try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, checkpoint.classLoader())) {
                    List<StateMetaInfo> states = reader.getStates();
                    for (int keyGroup : handle.getKeyGroupRange()) {
                        reader.seekKeyGroup(keyGroup);
                        for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                            StateMetaInfo state = states.get(index);
                            long[] total = totals.computeIfAbsent(state.getName(), name -> new long[2]);
                            total[0]++;
                            total[1] += CanonicalEntries.recordSize(reader, state.getKind());
                        }
                    }
                }
            }
            Map<String, StateSize> sizes = new LinkedHashMap<>();
            totals.forEach((name, total) -> sizes.put(name, new StateSize(total[0], total[1])));
            stateSizes = java.util.Collections.unmodifiableMap(sizes);
        }
        return stateSizes;
    }

    /** {@return the names of the operator (non-keyed) states} */
    public List<String> operatorStates() {
        Set<String> names = new LinkedHashSet<>();
        for (OperatorStateHandle handle : snapshot.operatorState()) {
            names.addAll(handle.getStates().keySet());
        }
        return List.copyOf(names);
    }

    /**
     * The entries of one keyed state or timer queue, read lazily key group by key group with the serializers the
     * snapshot records. Close the stream.
     *
     * @param stateName the state's name
     * @return the entries
     * @throws IllegalArgumentException naming the states there are, when there is none of that name
     * @throws IOException when the state cannot be read or converted
     */
    public Stream<KeyedEntry> entries(String stateName) throws IOException {
        List<StateInfo> states = keyedStates();
        if (states.stream().noneMatch(state -> state.name().equals(stateName))) {
            throw new IllegalArgumentException(
                    "Operator '" + id() + "' has no keyed state '" + stateName + "'; its keyed states are "
                            + states.stream().map(StateInfo::name).toList());
        }
        return CanonicalEntries.of(canonicalHandles(), stateName, checkpoint.classLoader());
    }

    /**
     * The elements of one operator state, instance by instance, decoded with the serializers the snapshot records
     * (or their generic forms when the application's classes are missing). Operator state lives on the heap of its
     * backend, so one instance's share is read at a time.
     *
     * @param stateName the operator state's name
     * @return the elements
     * @throws IllegalArgumentException naming the operator states there are, when there is none of that name
     * @throws IOException when a stream cannot be read
     */
    public List<OperatorEntry> operatorStateEntries(String stateName) throws IOException {
        if (!operatorStates().contains(stateName)) {
            throw new IllegalArgumentException("Operator '" + id() + "' has no operator state '" + stateName
                    + "'; its operator states are " + operatorStates());
        }
        List<OperatorEntry> entries = new ArrayList<>();
        List<OperatorStateHandle> handles = snapshot.operatorState();
        for (int instance = 0; instance < handles.size(); instance++) {
            OperatorStateHandle handle = handles.get(instance);
            OperatorStateHandle.StateInfo info = handle.getStates().get(stateName);
            if (info == null) {
                continue;
            }
            String source = handle.getStream().describe();
            try (StateInputStream in = handle.getStream().openInputStream()) {
                OperatorStateFormat.StateHeader header =
                        OperatorStateFormat.readHeader(in, checkpoint.classLoader(), source).stream()
                                .filter(state -> state.name().equals(stateName))
                                .findFirst()
                                .orElseThrow(() -> new CorruptCheckpointException(
                                        "Operator state '" + stateName + "' is missing from the header of " + source));
                List<TypeSerializer<?>> serializers = new ArrayList<>();
                header.serializers()
                        .forEach(serializer -> serializers.add(CanonicalEntries.readingSerializer(serializer)));
                DataInputStream section = OperatorStateFormat.openSection(in, info, source + " state " + stateName);
                for (int i = 0; i < info.count(); i++) {
                    Object value;
                    if (info.mode() == OperatorStateHandle.Mode.BROADCAST) {
                        Object key = decode(serializers.get(0), OperatorStateFormat.readField(section));
                        Object mapValue = section.readBoolean()
                                ? null
                                : decode(serializers.get(1), OperatorStateFormat.readField(section));
                        value = new java.util.AbstractMap.SimpleImmutableEntry<>(key, mapValue);
                    } else {
                        value = decode(serializers.get(0), OperatorStateFormat.readField(section));
                    }
                    entries.add(new OperatorEntry(instance, info.mode().name(), value));
                }
            }
        }
        return entries;
    }

    private static Object decode(TypeSerializer<?> serializer, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        return serializer.deserialize(in);
    }

    /** The keyed state of every instance in the canonical format, converting it (once) if needed. */
    List<KeyGroupsStateHandle> canonicalHandles() throws IOException {
        if (canonical == null) {
            List<KeyGroupsStateHandle> handles = new ArrayList<>();
            List<KeyedStateHandle> toConvert = new ArrayList<>();
            for (KeyedStateHandle handle : snapshot.keyedState()) {
                if (handle instanceof KeyGroupsStateHandle keyGroups) {
                    handles.add(keyGroups);
                } else {
                    toConvert.add(handle);
                }
            }
            if (!toConvert.isEmpty()) {
                Path workingDirectory = checkpoint.newTemporaryDirectory("rocksdb-");
                Path streams = checkpoint.newTemporaryDirectory("canonical-");
                StoragePath directory = StoragePath.fromLocal(streams);
                CheckpointStreamFactory target = FileSystemCheckpointStorage.fileStreamFactory(
                        checkpoint.fileSystems().get(directory), directory, WRITE_BUFFER_SIZE);
                CanonicalConversion conversion = new CanonicalConversion(workingDirectory, checkpoint.classLoader());
                for (KeyedStateHandle handle : toConvert) {
                    conversion
                            .toCanonical(id(), handle, target, checkpoint.checkpointId())
                            .ifPresent(handles::add);
                }
            }
            // Key-group order across instances: readers of several handles then see key groups ascending.
            handles.sort(java.util.Comparator.comparingInt(
                    handle -> handle.getKeyGroupRange().getStartKeyGroup()));
            canonical = List.copyOf(handles);
        }
        return canonical;
    }

    /** Canonical streams that hold the states' meta information without converting native handles. */
    private List<KeyGroupsStateHandle> metaDataHandles() throws IOException {
        List<KeyGroupsStateHandle> handles = new ArrayList<>();
        for (KeyedStateHandle handle : snapshot.keyedState()) {
            if (handle instanceof KeyGroupsStateHandle keyGroups) {
                handles.add(keyGroups);
            } else if (handle instanceof IncrementalKeyedStateHandle nativeHandle) {
                handles.add(nativeHandle.getMetaData());
            } else {
                // The changelog records states in its segments: read them from the converted form.
                return canonicalHandles();
            }
        }
        return handles;
    }

    OperatorSnapshot snapshot() {
        return snapshot;
    }

    private static StateInfo info(StateMetaInfo meta) {
        List<String> values = new ArrayList<>();
        meta.getValueSerializers().forEach(serializer -> values.add(describe(serializer)));
        return new StateInfo(
                meta.getName(), meta.getKind().name(), describe(meta.getNamespaceSerializer()), values, meta.hasTtl());
    }

    private static String describe(TypeSerializerSnapshot<?> serializerSnapshot) {
        String name = SerializerSnapshots.className(serializerSnapshot);
        return SerializerSnapshots.isClassMissing(serializerSnapshot) ? name + " (class missing: raw bytes)" : name;
    }

    @Override
    public String toString() {
        return "OperatorView{" + id() + "}";
    }
}

package dev.cairn.processor;

import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.processor.internal.CanonicalEntries;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TtlValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Edits the keyed state of a checkpoint offline and writes the result as a canonical savepoint: drop a state,
 * rename it, transform its values (with a new serializer: a migration done once, offline), or add a value, list or
 * map state bootstrapped from data. Start from an existing checkpoint ({@link #fromExisting}; operators and states
 * not named keep their data, byte for byte) or from nothing ({@link #newSavepoint}: only bootstrapped state).
 *
 * <pre>{@code
 * try (CheckpointView view = Checkpoints.open("/chk/job/chk-42")) {
 *     String savepoint = SavepointWriter.fromExisting(view)
 *             .removeState("counter", "obsolete")
 *             .renameState("counter", "clicks", "clicks-v2")
 *             .transformValues("counter", "clicks-v2", Serializers.STRING, value -> "n=" + value)
 *             .addValueState("counter", Serializers.STRING, new ValueStateDescriptor<>("region", Serializers.STRING),
 *                     Map.of("user-1", "eu", "user-2", "us").entrySet())
 *             .write("/savepoints");
 * }
 * }</pre>
 *
 * <p>Each operator keeps its instances' key-group ranges. Transforms apply to value, reducing and aggregating state
 * (the value), list state (each element) and map state (each map value), with or without TTL (a TTL state keeps each
 * value's last-access timestamp); timer queues have no values to transform. Value, list and map state can be
 * bootstrapped, with TTL too: the values then carry {@link #withTtlTimestamp the bootstrap timestamp} as their last
 * access, so they expire that long after it. Bootstrap data is grouped by key group in memory before it is written. A new operator (one the
 * source does not have, or any operator of a new savepoint) gets one instance holding every key group; the restoring
 * job redistributes them for its parallelism.
 */
public final class SavepointWriter {
    private final CheckpointView source;
    private final int newOperatorMaxParallelism;
    private final ReadableConfig newSavepointConfig;
    private final Map<String, Map<String, Edit>> edits = new LinkedHashMap<>();
    private final Map<String, List<Bootstrap>> additions = new LinkedHashMap<>();
    /** The last-access time of bootstrapped TTL values; negative: the time {@link #write} starts. */
    private long ttlTimestamp = -1;

    private SavepointWriter(CheckpointView source, int newOperatorMaxParallelism, ReadableConfig newSavepointConfig) {
        this.source = source;
        this.newOperatorMaxParallelism = newOperatorMaxParallelism;
        this.newSavepointConfig = newSavepointConfig;
    }

    /**
     * A writer that starts from the state of a checkpoint or savepoint.
     *
     * @param source the opened checkpoint; keep it open until {@link #write} returns
     * @return the writer
     */
    public static SavepointWriter fromExisting(CheckpointView source) {
        return new SavepointWriter(
                Objects.requireNonNull(source, "source"), KeyGroupRangeAssignment.DEFAULT_MAX_PARALLELISM, null);
    }

    /**
     * A writer that starts from nothing: the savepoint holds only the states added to it, for jobs that start from
     * data prepared offline (e.g. reference data or state migrated from another system).
     *
     * @param maxParallelism the number of key groups of its operators (the restoring job's max parallelism)
     * @return the writer
     * @throws IllegalArgumentException when the max parallelism is not in [1, 32768]
     */
    public static SavepointWriter newSavepoint(int maxParallelism) {
        return newSavepoint(maxParallelism, new Configuration());
    }

    /**
     * A writer that starts from nothing, with settings for the target's file system (e.g. {@code s3.endpoint}).
     *
     * @param maxParallelism the number of key groups of its operators (the restoring job's max parallelism)
     * @param config settings of the file systems
     * @return the writer
     * @throws IllegalArgumentException when the max parallelism is not in [1, 32768]
     */
    public static SavepointWriter newSavepoint(int maxParallelism, ReadableConfig config) {
        if (maxParallelism < 1 || maxParallelism > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("The max parallelism must be in [1, "
                    + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM + "], got " + maxParallelism);
        }
        return new SavepointWriter(null, maxParallelism, Objects.requireNonNull(config, "config"));
    }

    /**
     * Sets the last-access timestamp bootstrapped TTL values carry (by default the time {@link #write} starts): they
     * expire their time-to-live after it, as if the job had written them then.
     *
     * @param epochMillis milliseconds since the epoch, not negative
     * @return this writer
     * @throws IllegalArgumentException when the timestamp is negative
     */
    public SavepointWriter withTtlTimestamp(long epochMillis) {
        if (epochMillis < 0) {
            throw new IllegalArgumentException("The TTL timestamp must not be negative, got " + epochMillis);
        }
        this.ttlTimestamp = epochMillis;
        return this;
    }

    /** What happens to one existing state. */
    private record Edit(boolean remove, String newName, TypeSerializer<?> newSerializer, Function<Object, Object> fn) {}

    /** A state to add to an operator: its entries, key → value (value state), list (list state) or map (map state). */
    private record Bootstrap(
            TypeSerializer<?> keySerializer,
            StateDescriptor<?, ?> descriptor,
            Iterable<? extends Map.Entry<?, ?>> data) {
        StateKind kind() {
            return StateKind.of(descriptor.getType());
        }

        /** What the savepoint records for it: TTL state when the descriptor has a TTL configuration. */
        StateMetaInfo meta() {
            return StateMetaInfo.ofUserDescriptor(descriptor, Serializers.VOID_NAMESPACE);
        }
    }

    /** A bootstrapped state's records, by key group: [key, namespace, fields…] as bytes. */
    private record Grouped(StateKind kind, Map<Integer, List<byte[][]>> records) {}

    private Edit edit(String operatorId, String state) {
        return edits.getOrDefault(operatorId, Map.of()).get(state);
    }

    private void put(String operatorId, String state, Edit edit) {
        Edit existing =
                edits.computeIfAbsent(operatorId, id -> new LinkedHashMap<>()).putIfAbsent(state, edit);
        if (existing != null) {
            throw new IllegalStateException(
                    "State '" + state + "' of operator '" + operatorId + "' is already edited: " + existing);
        }
    }

    /**
     * Leaves a keyed state out of the savepoint.
     *
     * @param operatorId the operator
     * @param state the state's name
     * @return this writer
     */
    public SavepointWriter removeState(String operatorId, String state) {
        put(operatorId, state, new Edit(true, null, null, null));
        return this;
    }

    /**
     * Gives a keyed state a new name (the application then registers it under that name).
     *
     * @param operatorId the operator
     * @param state the state's current name
     * @param newName its new name
     * @return this writer
     */
    public SavepointWriter renameState(String operatorId, String state, String newName) {
        put(operatorId, state, new Edit(false, Objects.requireNonNull(newName, "newName"), null, null));
        return this;
    }

    /**
     * Replaces every value of a keyed state with {@code function} of it, written with {@code newSerializer}. The
     * old values are read with the serializer the checkpoint records. A {@code null} result drops the entry (for
     * list state: the element).
     *
     * @param operatorId the operator
     * @param state the state's name (its new name, if it is also renamed later, is not used here)
     * @param newSerializer the serializer of the new values (the application registers the state with it)
     * @param function the transformation of one value
     * @param <T> the new value type
     * @return this writer
     */
    @SuppressWarnings("unchecked")
    public <T> SavepointWriter transformValues(
            String operatorId, String state, TypeSerializer<T> newSerializer, Function<Object, T> function) {
        put(operatorId, state, new Edit(false, null, Objects.requireNonNull(newSerializer, "newSerializer"), (Function<
                        Object, Object>)
                function));
        return this;
    }

    /**
     * Adds a value state whose entries are {@code data} (key → value, in the default namespace).
     *
     * @param operatorId the operator (an existing one, whose key serializer must be the same, or a new one)
     * @param keySerializer the serializer of the keys
     * @param descriptor the state's descriptor (name and value serializer; with a TTL configuration, TTL state)
     * @param data the entries; {@code null} values are left out
     * @param <K> the key type
     * @param <V> the value type
     * @return this writer
     */
    public <K, V> SavepointWriter addValueState(
            String operatorId,
            TypeSerializer<K> keySerializer,
            ValueStateDescriptor<V> descriptor,
            Iterable<Map.Entry<K, V>> data) {
        return add(operatorId, keySerializer, descriptor, data);
    }

    /**
     * Adds a list state whose entries are {@code data} (key → its list, in the default namespace).
     *
     * @param operatorId the operator (an existing one, whose key serializer must be the same, or a new one)
     * @param keySerializer the serializer of the keys
     * @param descriptor the state's descriptor (name and element serializer; with a TTL configuration, TTL state)
     * @param data the entries; {@code null} and empty lists are left out, {@code null} elements are rejected
     * @param <K> the key type
     * @param <T> the element type
     * @return this writer
     */
    public <K, T> SavepointWriter addListState(
            String operatorId,
            TypeSerializer<K> keySerializer,
            ListStateDescriptor<T> descriptor,
            Iterable<Map.Entry<K, List<T>>> data) {
        return add(operatorId, keySerializer, descriptor, data);
    }

    /**
     * Adds a map state whose entries are {@code data} (key → its map, in the default namespace).
     *
     * @param operatorId the operator (an existing one, whose key serializer must be the same, or a new one)
     * @param keySerializer the serializer of the keys
     * @param descriptor the state's descriptor (name, map key and map value serializers; with a TTL configuration, TTL state)
     * @param data the entries; {@code null} and empty maps are left out; map values may be {@code null}
     * @param <K> the key type
     * @param <UK> the map key type
     * @param <UV> the map value type
     * @return this writer
     */
    public <K, UK, UV> SavepointWriter addMapState(
            String operatorId,
            TypeSerializer<K> keySerializer,
            MapStateDescriptor<UK, UV> descriptor,
            Iterable<Map.Entry<K, Map<UK, UV>>> data) {
        return add(operatorId, keySerializer, descriptor, data);
    }

    private SavepointWriter add(
            String operatorId,
            TypeSerializer<?> keySerializer,
            StateDescriptor<?, ?> descriptor,
            Iterable<? extends Map.Entry<?, ?>> data) {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(keySerializer, "keySerializer");
        Objects.requireNonNull(data, "data");
        List<Bootstrap> states = additions.computeIfAbsent(operatorId, id -> new ArrayList<>());
        if (states.stream().anyMatch(state -> state.descriptor().getName().equals(descriptor.getName()))) {
            throw new IllegalArgumentException(
                    "State '" + descriptor.getName() + "' is already added to operator '" + operatorId + "'");
        }
        states.add(new Bootstrap(keySerializer, descriptor, data));
        return this;
    }

    /**
     * Writes the savepoint.
     *
     * @param targetDirectory where the savepoint directory is created (a path or URI)
     * @return the savepoint's pointer
     * @throws IOException when reading or writing fails
     * @throws IllegalArgumentException when an edit names an unknown operator or state, or cannot apply to it
     */
    public String write(String targetDirectory) throws IOException {
        if (source == null) {
            try (CheckpointView empty = CheckpointView.empty(newSavepointConfig)) {
                return write(empty, targetDirectory);
            }
        }
        return write(source, targetDirectory);
    }

    private String write(CheckpointView source, String targetDirectory) throws IOException {
        long bootstrapTimestamp = ttlTimestamp >= 0 ? ttlTimestamp : System.currentTimeMillis();
        for (Map.Entry<String, Map<String, Edit>> operator : edits.entrySet()) {
            OperatorView view = source.operator(operator.getKey());
            List<String> names =
                    view.keyedStates().stream().map(StateInfo::name).toList();
            for (String state : operator.getValue().keySet()) {
                if (!names.contains(state)) {
                    throw new IllegalArgumentException("Operator '" + operator.getKey() + "' has no keyed state '"
                            + state + "'; its keyed states are " + names);
                }
            }
        }
        List<String> newOperators = new ArrayList<>();
        for (Map.Entry<String, List<Bootstrap>> added : additions.entrySet()) {
            String operatorId = added.getKey();
            if (source.operators().stream().noneMatch(operator -> operator.id().equals(operatorId))) {
                newOperators.add(operatorId);
                continue;
            }
            List<String> existing = new ArrayList<>();
            for (StateInfo state : source.operator(operatorId).keyedStates()) {
                Edit edit = edit(operatorId, state.name());
                if (edit == null || !edit.remove()) {
                    existing.add(edit != null && edit.newName() != null ? edit.newName() : state.name());
                }
            }
            for (Bootstrap bootstrap : added.getValue()) {
                if (existing.contains(bootstrap.descriptor().getName())) {
                    throw new IllegalArgumentException("Operator '" + operatorId + "' already has a keyed state '"
                            + bootstrap.descriptor().getName() + "'; remove or rename it first");
                }
            }
        }
        return Savepoints.write(
                source,
                targetDirectory,
                (operator, target) -> rewrite(source, operator, target, bootstrapTimestamp),
                (target, operators) -> {
                    for (String operatorId : newOperators) {
                        operators.add(
                                new OperatorSnapshot(operatorId, newOperator(operatorId, target, bootstrapTimestamp)));
                    }
                });
    }

    private List<KeyedStateHandle> rewrite(
            CheckpointView source, OperatorView operator, CheckpointStreamFactory target, long bootstrapTimestamp)
            throws IOException {
        Map<String, Edit> operatorEdits = edits.getOrDefault(operator.id(), Map.of());
        List<Bootstrap> operatorAdditions = additions.getOrDefault(operator.id(), List.of());
        List<KeyedStateHandle> result = new ArrayList<>();
        for (KeyGroupsStateHandle handle : operator.canonicalHandles()) {
            try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, source.classLoader())) {
                List<StateMetaInfo> in = reader.getStates();
                List<StateMetaInfo> out = new ArrayList<>();
                int[] outIndex = new int[in.size()];
                ValueTransform[] transforms = new ValueTransform[in.size()];
                for (int i = 0; i < in.size(); i++) {
                    StateMetaInfo meta = in.get(i);
                    Edit edit = operatorEdits.get(meta.getName());
                    if (edit != null && edit.remove()) {
                        outIndex[i] = -1;
                        continue;
                    }
                    outIndex[i] = out.size();
                    StateMetaInfo edited = edited(operator.id(), meta, edit);
                    out.add(edited);
                    if (edit != null && edit.fn() != null) {
                        transforms[i] = ValueTransform.of(meta, edited, edit.fn());
                    }
                }
                @SuppressWarnings("unchecked")
                TypeSerializer<Object> keySerializer = (TypeSerializer<Object>)
                        reader.getKeySerializerSnapshot().restoreSerializer();
                int firstBootstrap = out.size(); // added states follow the kept ones
                List<Grouped> bootstraps = new ArrayList<>();
                for (Bootstrap bootstrap : operatorAdditions) {
                    checkSameKeys(operator.id(), reader.getKeySerializerSnapshot(), bootstrap);
                    out.add(bootstrap.meta());
                    bootstraps.add(group(
                            bootstrap, reader.getNumberOfKeyGroups(), handle.getKeyGroupRange(), bootstrapTimestamp));
                }
                try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                        target.createOutputStream(StateScope.EXCLUSIVE),
                        handle.getKeyGroupRange(),
                        keySerializer,
                        reader.getNumberOfKeyGroups(),
                        out)) {
                    for (int keyGroup : handle.getKeyGroupRange()) {
                        writer.startKeyGroup(keyGroup);
                        reader.seekKeyGroup(keyGroup);
                        for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                            StateMetaInfo meta = in.get(index);
                            if (outIndex[index] < 0) {
                                CanonicalEntries.skipRecord(reader, meta.getKind());
                            } else if (transforms[index] == null) {
                                writer.startRecord(outIndex[index]);
                                CanonicalEntries.copyRecord(reader, writer, meta.getKind());
                            } else {
                                transform(reader, writer, outIndex[index], meta.getKind(), transforms[index]);
                            }
                        }
                        writeBootstrapped(writer, keyGroup, firstBootstrap, bootstraps);
                        writer.endKeyGroup();
                    }
                    result.add(writer.finish());
                }
            }
        }
        return result;
    }

    /** Writes the bootstrapped records of one key group; state {@code i} of {@code bootstraps} is at {@code first + i}. */
    private static void writeBootstrapped(
            CanonicalSnapshotWriter writer, int keyGroup, int first, List<Grouped> bootstraps) throws IOException {
        for (int b = 0; b < bootstraps.size(); b++) {
            Grouped grouped = bootstraps.get(b);
            for (byte[][] record : grouped.records().getOrDefault(keyGroup, List.of())) {
                writer.startRecord(first + b);
                writeField(writer, record[0]); // key
                writeField(writer, record[1]); // namespace
                switch (grouped.kind()) {
                    case LIST -> {
                        writer.writeCount(record.length - 2);
                        for (int i = 2; i < record.length; i++) {
                            writeField(writer, record[i]);
                        }
                    }
                    case MAP -> {
                        writeField(writer, record[2]); // the map key
                        writer.writeBoolean(record[3] == null); // a null map value has only its marker
                        if (record[3] != null) {
                            writeField(writer, record[3]);
                        }
                    }
                    default -> writeField(writer, record[2]);
                }
            }
        }
    }

    private static void writeField(CanonicalSnapshotWriter writer, byte[] field) throws IOException {
        writer.writeBytes(field, 0, field.length);
    }

    private static StateMetaInfo edited(String operatorId, StateMetaInfo meta, Edit edit) {
        if (edit == null) {
            return meta;
        }
        if (edit.newName() != null) {
            return new StateMetaInfo(
                    edit.newName(), meta.getKind(), meta.getNamespaceSerializer(), meta.getValueSerializers());
        }
        if (meta.getKind() == StateKind.TIMERS) {
            throw new IllegalArgumentException("State '" + meta.getName() + "' of operator '" + operatorId
                    + "' is a timer queue: it has no values to transform");
        }
        return meta.withUserValueSerializer(edit.newSerializer());
    }

    /**
     * One state's value transformation, its serializers restored once: reads a stored value (a {@link TtlValue} for
     * TTL state), applies the function to the user value and gives what to store, or {@code null} to drop it.
     */
    private record ValueTransform(
            TypeSerializer<Object> oldValues,
            TypeSerializer<Object> newValues,
            boolean ttl,
            Function<Object, Object> fn) {
        @SuppressWarnings("unchecked")
        static ValueTransform of(StateMetaInfo before, StateMetaInfo after, Function<Object, Object> fn) {
            List<TypeSerializer<?>> old = before.restoreValueSerializers();
            List<TypeSerializer<?>> updated = after.restoreValueSerializers();
            return new ValueTransform(
                    (TypeSerializer<Object>) old.get(old.size() - 1),
                    (TypeSerializer<Object>) updated.get(updated.size() - 1),
                    before.hasTtl(),
                    fn);
        }

        Object apply(Object stored) {
            if (!ttl) {
                return fn.apply(stored);
            }
            TtlValue<?> value = (TtlValue<?>) stored;
            if (value.userValue() == null) {
                return value; // a TTL map state's null map value: nothing to transform, its timestamp kept
            }
            Object transformed = fn.apply(value.userValue());
            return transformed == null ? null : new TtlValue<>(transformed, value.lastAccessTimestamp());
        }
    }

    private static void transform(
            CanonicalSnapshotReader reader,
            CanonicalSnapshotWriter writer,
            int stateIndex,
            StateKind kind,
            ValueTransform transform)
            throws IOException {
        TypeSerializer<Object> oldValues = transform.oldValues();
        TypeSerializer<Object> newValues = transform.newValues();
        byte[] key = reader.readBytes();
        byte[] namespace = reader.readBytes();
        switch (kind) {
            case LIST -> {
                int count = reader.readCount();
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    Object element = transform.apply(reader.readSerialized(oldValues));
                    if (element != null) {
                        elements.add(element);
                    }
                }
                if (elements.isEmpty()) {
                    return;
                }
                writer.startRecord(stateIndex);
                writer.writeBytes(key, 0, key.length);
                writer.writeBytes(namespace, 0, namespace.length);
                writer.writeCount(elements.size());
                for (Object element : elements) {
                    writer.writeSerialized(newValues, element);
                }
            }
            case MAP -> {
                byte[] userKey = reader.readBytes();
                Object value = reader.readBoolean() ? null : reader.readSerialized(oldValues);
                Object transformed = value == null ? null : transform.apply(value);
                if (value != null && transformed == null) {
                    return;
                }
                writer.startRecord(stateIndex);
                writer.writeBytes(key, 0, key.length);
                writer.writeBytes(namespace, 0, namespace.length);
                writer.writeBytes(userKey, 0, userKey.length);
                writer.writeBoolean(transformed == null);
                if (transformed != null) {
                    writer.writeSerialized(newValues, transformed);
                }
            }
            default -> {
                Object transformed = transform.apply(reader.readSerialized(oldValues));
                if (transformed == null) {
                    return;
                }
                writer.startRecord(stateIndex);
                writer.writeBytes(key, 0, key.length);
                writer.writeBytes(namespace, 0, namespace.length);
                writer.writeSerialized(newValues, transformed);
            }
        }
    }

    private static void checkSameKeys(String operatorId, TypeSerializerSnapshot<?> recorded, Bootstrap bootstrap) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        boolean compatible = ((TypeSerializerSnapshot) recorded)
                .resolveSchemaCompatibility(bootstrap.keySerializer())
                .isCompatibleAsIs();
        if (!compatible) {
            throw new IllegalArgumentException(
                    "State '" + bootstrap.descriptor().getName() + "' is added to operator '" + operatorId
                            + "' with a key serializer that does not read its keys as they are");
        }
    }

    /**
     * The bootstrap records of the key groups in {@code range}, by key group; TTL values carry {@code ttlTimestamp}.
     */
    @SuppressWarnings("unchecked")
    private static Grouped group(Bootstrap bootstrap, int maxParallelism, KeyGroupRange range, long ttlTimestamp)
            throws IOException {
        Map<Integer, List<byte[][]>> byKeyGroup = new TreeMap<>();
        TypeSerializer<Object> keys = (TypeSerializer<Object>) bootstrap.keySerializer();
        byte[] namespace = bytes(Serializers.VOID_NAMESPACE, VoidNamespace.INSTANCE);
        StateKind kind = bootstrap.kind();
        StateMetaInfo meta = bootstrap.meta();
        boolean ttl = meta.hasTtl();
        // What is stored (TtlValues for TTL state): list elements, map keys then map values, or the value.
        List<TypeSerializer<?>> stored = meta.restoreValueSerializers();
        TypeSerializer<Object> values = (TypeSerializer<Object>) stored.get(stored.size() - 1);
        Function<Object, Object> toStored = ttl ? value -> new TtlValue<>(value, ttlTimestamp) : value -> value;
        for (Map.Entry<?, ?> entry : bootstrap.data()) {
            Object key = Objects.requireNonNull(entry.getKey(), "a bootstrapped key is null");
            int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
            if (!range.contains(keyGroup) || entry.getValue() == null) {
                continue;
            }
            List<byte[][]> records = byKeyGroup.computeIfAbsent(keyGroup, group -> new ArrayList<>());
            byte[] keyBytes = bytes(keys, key);
            switch (kind) {
                case LIST -> {
                    StateDescriptor<?, ?> list = bootstrap.descriptor();
                    List<?> elements = (List<?>) entry.getValue();
                    if (elements.isEmpty()) {
                        continue;
                    }
                    byte[][] record = new byte[elements.size() + 2][];
                    record[0] = keyBytes;
                    record[1] = namespace;
                    for (int i = 0; i < elements.size(); i++) {
                        Object element = elements.get(i);
                        if (element == null) {
                            throw new IllegalArgumentException("List state '" + list.getName() + "': the list of key "
                                    + key + " has a null element; list state holds no nulls");
                        }
                        record[i + 2] = bytes(values, toStored.apply(element));
                    }
                    records.add(record);
                }
                case MAP -> {
                    TypeSerializer<Object> mapKeys = (TypeSerializer<Object>) stored.get(0);
                    for (Map.Entry<?, ?> mapEntry : ((Map<?, ?>) entry.getValue()).entrySet()) {
                        Object mapValue = mapEntry.getValue();
                        records.add(new byte[][] {
                            keyBytes,
                            namespace,
                            bytes(mapKeys, mapEntry.getKey()),
                            // TTL map state keeps a null map value as a TTL value holding null, as the backends do
                            mapValue == null && !ttl ? null : bytes(values, toStored.apply(mapValue))
                        });
                    }
                }
                default ->
                    records.add(new byte[][] {keyBytes, namespace, bytes(values, toStored.apply(entry.getValue()))});
            }
        }
        return new Grouped(kind, byKeyGroup);
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(32);
        serializer.serialize(value, out);
        return out.toByteArray();
    }

    /**
     * A new operator holding only bootstrapped states: one instance over all key groups (the default max parallelism
     * for {@link #fromExisting}, the given one for {@link #newSavepoint}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<KeyedStateHandle> newOperator(
            String operatorId, CheckpointStreamFactory target, long bootstrapTimestamp) throws IOException {
        List<Bootstrap> states = additions.get(operatorId);
        int maxParallelism = newOperatorMaxParallelism;
        KeyGroupRange range = KeyGroupRange.of(0, maxParallelism - 1);
        TypeSerializer keySerializer = states.get(0).keySerializer();
        List<StateMetaInfo> metas = new ArrayList<>();
        List<Grouped> grouped = new ArrayList<>();
        for (Bootstrap bootstrap : states) {
            if (!bootstrap.keySerializer().equals(keySerializer)) {
                throw new IllegalArgumentException(
                        "The states added to new operator '" + operatorId + "' use different key serializers");
            }
            metas.add(bootstrap.meta());
            grouped.add(group(bootstrap, maxParallelism, range, bootstrapTimestamp));
        }
        try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                target.createOutputStream(StateScope.EXCLUSIVE), range, keySerializer, maxParallelism, metas)) {
            for (int keyGroup : range) {
                writer.startKeyGroup(keyGroup);
                writeBootstrapped(writer, keyGroup, 0, grouped);
                writer.endKeyGroup();
            }
            return List.of(writer.finish());
        }
    }
}

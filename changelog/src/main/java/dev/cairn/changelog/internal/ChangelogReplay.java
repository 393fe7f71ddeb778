package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StreamStateHandle;
import dev.cairn.state.spi.WrappableKeyedStateBackend;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.StateMetaInfo;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Replays change segments into a restored backend, keeping only changes of the backend's key groups, inside the
 * backend's bulk write scope and in the order it prefers ({@code ChangeRun}): the result is that of applying every
 * change as recorded. States are created from the meta information in the segments (serializers restored from
 * their snapshots; reducing and aggregating states get a placeholder function, since replay sets their stored values
 * directly).
 * Each changelog file is read once and checked against its recorded CRC32C.
 *
 * @param <K> key type
 */
public final class ChangelogReplay<K> {
    /**
     * A state as a segment's meta entry describes it. Segments that describe a state with the same bytes share one
     * target, so their changes sort together; {@code index} is the state's in the run (one per kind and name).
     */
    private record Target(
            int index,
            byte kind,
            StateMetaInfo meta,
            StateTtlConfig ttl,
            StateDescriptor<?, ?> descriptor,
            TypeSerializer<Object> namespaceSerializer,
            List<TypeSerializer<?>> valueSerializers,
            byte[] metaBytes) {}

    /**
     * The changelog bytes a run collects at most before it is applied (a segment is never split): enough that the
     * segments of a materialization interval usually sort as one run, bounded so that a long changelog is not held
     * in memory whole.
     */
    static final long RUN_FILE_BYTES = 32L << 20;

    private final CheckpointableKeyedStateBackend<K> backend;
    private final KeyGroupRange range;
    private final ClassLoader classLoader;
    private final long runFileBytes;
    private final Map<String, StateMetaInfo> replayedStates = new LinkedHashMap<>();
    private final Map<String, KeyGroupedTimerQueue<K, Object>> timerQueues = new HashMap<>();
    /** The wrapped backend's state objects the replay registered, by name (keyed states only). */
    private final Map<String, InternalKvState<Object>> states = new LinkedHashMap<>();
    /** The target a change of the run refers to by its index (one index per kind and name). */
    private final List<Target> runTargets = new ArrayList<>();
    /**
     * The latest target read of each state or timer queue (by kind and name): a segment describing it with the same
     * bytes reuses it.
     */
    private final Map<String, Target> latestTargets = new HashMap<>();
    /** The file read last: consecutive segments usually share it. */
    private StreamStateHandle lastStream;

    private byte[] lastFile;

    /** Readers of a change's fields and payload, reused for every change. */
    private final DataInputDeserializer fields = new DataInputDeserializer();

    private final DataInputDeserializer payload = new DataInputDeserializer();
    private final DataInputDeserializer decoder = new DataInputDeserializer();
    /** The last key decoded, and where its bytes are: the next change of the same key reuses it. */
    private K lastKey;

    private byte[] lastKeyFile;
    private int lastKeyStart;
    private int lastKeyLength;
    /** The key last set on the backend (the same object as long as the key does not change). */
    private K keyOfBackend;
    /** The last namespace decoded, of which state and where its bytes are. */
    private Object lastNamespace;

    private Target lastNamespaceTarget;
    private byte[] lastNamespaceFile;
    private int lastNamespaceStart;
    private int lastNamespaceLength;

    public ChangelogReplay(CheckpointableKeyedStateBackend<K> backend, ClassLoader classLoader) {
        this(backend, classLoader, RUN_FILE_BYTES);
    }

    /**
     * A replay whose runs hold at most {@code runFileBytes} of changelog files (at least one segment each); tests
     * use small bounds to apply many runs.
     */
    public ChangelogReplay(CheckpointableKeyedStateBackend<K> backend, ClassLoader classLoader, long runFileBytes) {
        this.runFileBytes = runFileBytes;
        this.backend = backend;
        this.range = backend.getKeyGroupRange();
        this.classLoader = classLoader;
    }

    /** Replays every segment of {@code handles} (each handle's segments in order). */
    public void replay(List<ChangelogStateBackendHandle> handles) throws IOException {
        WrappableKeyedStateBackend.BulkWrites bulk = backend instanceof WrappableKeyedStateBackend<K> wrappable
                ? wrappable.beginBulkWrites()
                : WrappableKeyedStateBackend.BulkWrites.IMMEDIATE;
        try (bulk) {
            ChangeRun<Target> run = new ChangeRun<>(bulk.prefersKeyOrder());
            run.useTargets(runTargets);
            for (ChangelogStateBackendHandle handle : handles) {
                for (Segment segment : handle.changes()) {
                    replay(segment, handle.getKeyGroupRange(), run);
                }
            }
            applyRun(run);
            run.forgetSegments();
        }
        lastStream = null;
        lastFile = null;
        // The states were registered with the changelog's serializers and placeholder functions; the application's
        // registration takes over from there as for any restored state (checks, migration, defaults, functions).
        if (backend instanceof WrappableKeyedStateBackend<K> base) {
            states.keySet().forEach(base::treatAsRestored);
        }
    }

    /** The meta information of every state the replay touched, by name. */
    public Map<String, StateMetaInfo> replayedStates() {
        return replayedStates;
    }

    /**
     * Applies the changes of {@code segment} to the key groups of this backend. {@code recorded} is the range the
     * checkpoint says the segment's writer owned: a change outside it means the metadata and the data disagree.
     * The changes are collected in {@code run}, across segments for a run in key order, and applied when a change
     * depends on other entries (a merge of namespaces reads its sources), when a state's description changes, when
     * the run holds its bound of segments ({@link #RUN_FILE_BYTES} by default; a run in recorded order at each
     * segment's end) and after the last segment.
     */
    private void replay(Segment segment, KeyGroupRange recorded, ChangeRun<Target> run) throws IOException {
        if (run.size() == 0) {
            run.forgetSegments();
        }
        byte[] file = read(segment.stream());
        if (run.heldFileBytes() > 0 && run.heldFileBytes() + file.length > runFileBytes) {
            applyRun(run);
            run.forgetSegments();
        }
        String source = segment.stream().describe() + " at offset " + segment.offset();
        int end = (int) (segment.offset() + segment.length());
        DataInputDeserializer in = new DataInputDeserializer();
        in.setBuffer(file, (int) segment.offset(), (int) segment.length());
        Map<Integer, Target> targets = new HashMap<>();
        boolean legacyKeyGroups = false;
        run.addSegment(file, source);
        try {
            while (in.available() > 0) {
                byte entry = in.readByte();
                if (entry == ChangeFormat.KEYS || entry == ChangeFormat.LEGACY_KEYS) {
                    checkKeys(in, source);
                    legacyKeyGroups = entry == ChangeFormat.LEGACY_KEYS;
                } else if (entry == ChangeFormat.META) {
                    int stateId = in.readVarInt();
                    int metaStart = end - in.available();
                    Target target = target(in, source, file, metaStart, end);
                    targets.put(stateId, target);
                } else if (entry == ChangeFormat.CHANGE) {
                    int stateId = in.readVarInt();
                    Target target = targets.get(stateId);
                    if (target == null) {
                        throw new CorruptCheckpointException(
                                "A change in " + source + " refers to unknown state " + stateId);
                    }
                    if (runTargets.get(target.index()) != target) {
                        // The run's changes of this state were read with another description of it.
                        applyRun(run);
                        runTargets.set(target.index(), target);
                    }
                    int keyGroup = in.readUnsignedShort();
                    byte op = in.readByte();
                    int fields = end - in.available();
                    int keyLength = in.readVarInt();
                    int keyStart = end - in.available();
                    skipBytes(in, keyLength);
                    skipBytes(in, in.readVarInt()); // namespace
                    int fieldsLength = end - in.available() - fields;
                    skipBytes(in, in.readVarInt()); // payload
                    if (!legacyKeyGroups && !recorded.contains(keyGroup)) {
                        throw new CorruptCheckpointException("A change in " + source + " is of key group " + keyGroup
                                + ", outside the key groups " + recorded + " its checkpoint records for it");
                    }
                    if (legacyKeyGroups) {
                        // Recorded with Cairn's earlier key-group hash: assign the key its key group again.
                        keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(
                                ChangeFormat.deserializeExactly(
                                        backend.getKeySerializer(), decoder, file, keyStart, keyLength, source),
                                backend.getNumberOfKeyGroups());
                    }
                    if (range.contains(keyGroup)) {
                        boolean readsOtherEntries = op == ChangeFormat.MERGE_NAMESPACES;
                        if (readsOtherEntries) {
                            applyRun(run); // it reads its sources: every change before it must be in place
                        }
                        run.add(target.index(), keyGroup, op, fields, fieldsLength);
                        if (readsOtherEntries) {
                            applyRun(run); // and no later change may move before it
                        }
                    }
                } else {
                    throw new CorruptCheckpointException("Unknown entry type " + entry + " in " + source);
                }
            }
            if (!run.keyOrder()) {
                applyRun(run); // nothing to gain from holding more than one segment
            }
        } catch (EOFException e) {
            throw new CorruptCheckpointException("Changelog segment " + source + " ends in the middle of a record", e);
        }
    }

    /** Skips {@code length} bytes of a field, checking that they are inside the segment. */
    private static void skipBytes(DataInputDeserializer in, int length) throws EOFException {
        if (in.skipBytes(length) != length) {
            throw new EOFException("A field of " + length + " bytes goes past the segment's end");
        }
    }

    /**
     * Applies the collected changes, in key order if the backend prefers it, and empties the run. A change that the
     * next one applied overwrites entirely is skipped: in key order the changes of one entry are adjacent, so a key
     * updated many times since the last materialization is written once.
     */
    private void applyRun(ChangeRun<Target> run) throws IOException {
        run.sort();
        int size = run.size();
        for (int change = 0; change < size; change++) {
            if (change + 1 < size
                    && overwrites(run.target(change), run.op(change + 1))
                    && run.sameEntry(change, change + 1)) {
                continue;
            }
            apply(run, change);
        }
        run.clear();
    }

    /**
     * Whether a change {@code op} leaves nothing of the earlier changes of its entry: setting or clearing a value,
     * replacing or clearing a list, clearing a map (a map's other changes touch one map key; timers are never
     * overwritten, their changes name one timer each).
     */
    private static boolean overwrites(Target target, byte op) {
        if (target.kind() == ChangeFormat.KIND_TIMERS) {
            return false;
        }
        return switch (target.meta().getKind()) {
            case VALUE, REDUCING, AGGREGATING -> op == ChangeFormat.SET || op == ChangeFormat.CLEAR;
            case LIST -> op == ChangeFormat.LIST_UPDATE || op == ChangeFormat.CLEAR;
            case MAP -> op == ChangeFormat.CLEAR;
            default -> false;
        };
    }

    /**
     * The key serializer snapshot and max parallelism recorded at the start of a segment (every segment starts
     * with them), read without a backend: what offline tools need to restore changes they know nothing else about.
     */
    public static RecordedKeys recordedKeys(Segment segment, ClassLoader classLoader) throws IOException {
        String source = segment.stream().describe() + " at offset " + segment.offset();
        try (StateInputStream in = segment.stream().openInputStream()) {
            in.seek(segment.offset());
            java.io.DataInputStream data = new java.io.DataInputStream(in);
            byte entry = data.readByte();
            if (entry != ChangeFormat.KEYS && entry != ChangeFormat.LEGACY_KEYS) {
                throw new CorruptCheckpointException("Changelog segment " + source + " does not start with its keys");
            }
            int numberOfKeyGroups = data.readInt();
            return new RecordedKeys(numberOfKeyGroups, TypeSerializerSnapshot.readVersionedSnapshot(data, classLoader));
        } catch (java.io.EOFException e) {
            throw new CorruptCheckpointException("Changelog segment " + source + " ends in its header", e);
        }
    }

    /** What a segment records about its keys. */
    public record RecordedKeys(int numberOfKeyGroups, TypeSerializerSnapshot<?> keySerializer) {}

    /** The changes' max parallelism must be the backend's, and their keys readable by its key serializer. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void checkKeys(DataInputDeserializer in, String source) throws IOException {
        int numberOfKeyGroups = in.readInt();
        TypeSerializerSnapshot<?> keys = TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader);
        if (numberOfKeyGroups != backend.getNumberOfKeyGroups()) {
            throw new StateMigrationException("The changelog " + source + " was written with " + numberOfKeyGroups
                    + " key groups (max parallelism), the backend has " + backend.getNumberOfKeyGroups()
                    + "; the max parallelism cannot change across a restore");
        }
        TypeSerializerSchemaCompatibility<?> compatibility =
                ((TypeSerializerSnapshot) keys).resolveSchemaCompatibility(backend.getKeySerializer());
        if (!compatibility.isCompatibleAsIs()) {
            throw new StateMigrationException("The new key serializer is incompatible with the keys in the changelog "
                    + source + " (they must be compatible as is): " + compatibility);
        }
    }

    private byte[] read(StreamStateHandle stream) throws IOException {
        if (stream.equals(lastStream)) {
            return lastFile;
        }
        long size = stream.getStateSize();
        if (size > Integer.MAX_VALUE) {
            throw new CorruptCheckpointException("Changelog file " + stream.describe() + " is too large: " + size);
        }
        byte[] bytes = new byte[(int) size];
        try (StateInputStream in = stream.openInputStream()) {
            int read = in.readNBytes(bytes, 0, bytes.length);
            if (read != bytes.length || in.read() != -1) {
                throw new CorruptCheckpointException("Changelog file " + stream.describe() + " does not have the "
                        + size + " bytes its checkpoint records");
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        stream.checkContent(bytes.length, (int) crc.getValue(), "changelog file");
        lastStream = stream;
        lastFile = bytes;
        return bytes;
    }

    /**
     * The target a meta entry describes: the latest one of its state name if that was described with the same
     * bytes, else a new one (with the name's index in the run, or a new index for a new name).
     */
    private Target target(DataInputDeserializer in, String source, byte[] file, int metaStart, int end)
            throws IOException {
        Target read = readTarget(in, source);
        byte[] metaBytes = Arrays.copyOfRange(file, metaStart, end - in.available());
        String name = read.kind() + ":" + read.meta().getName(); // a timer queue may share a state's name
        Target latest = latestTargets.get(name);
        if (latest != null && Arrays.equals(latest.metaBytes(), metaBytes)) {
            return latest;
        }
        int index = latest != null ? latest.index() : runTargets.size();
        Target target = new Target(
                index,
                read.kind(),
                read.meta(),
                read.ttl(),
                read.descriptor(),
                read.namespaceSerializer(),
                read.valueSerializers(),
                metaBytes);
        if (latest == null) {
            runTargets.add(target);
        }
        latestTargets.put(name, target);
        return target;
    }

    @SuppressWarnings("unchecked")
    private Target readTarget(DataInputDeserializer in, String source) throws IOException {
        byte kind = in.readByte();
        StateMetaInfo meta = StateMetaInfo.read(in, classLoader, source);
        StateTtlConfig ttl = in.readBoolean() ? ChangeFormat.readTtl(in, source) : null;
        TypeSerializer<Object> namespaceSerializer =
                (TypeSerializer<Object>) meta.getNamespaceSerializer().restoreSerializer();
        List<TypeSerializer<?>> valueSerializers = meta.restoreValueSerializers();
        StateDescriptor<?, ?> descriptor =
                kind == ChangeFormat.KIND_TIMERS ? null : descriptor(meta, valueSerializers, source);
        replayedStates.put(meta.getName(), meta);
        return new Target(-1, kind, meta, ttl, descriptor, namespaceSerializer, valueSerializers, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static StateDescriptor<?, ?> descriptor(
            StateMetaInfo meta, List<TypeSerializer<?>> serializers, String source) {
        String name = meta.getName();
        return switch (meta.getKind()) {
            case VALUE -> new ValueStateDescriptor<>(name, (TypeSerializer) serializers.get(0));
            case LIST -> new ListStateDescriptor<>(name, (TypeSerializer) serializers.get(0));
            case MAP ->
                new MapStateDescriptor<>(
                        name, (TypeSerializer) serializers.get(0), (TypeSerializer) serializers.get(1));
            case REDUCING ->
                new ReducingStateDescriptor<>(
                        name,
                        (a, b) -> {
                            throw notRegistered(name);
                        },
                        (TypeSerializer) serializers.get(0));
            case AGGREGATING ->
                new AggregatingStateDescriptor<>(name, placeholder(name), (TypeSerializer) serializers.get(0));
            case TIMERS ->
                throw new CorruptCheckpointException("Timer queue '" + name + "' recorded as state in " + source);
        };
    }

    private static IllegalStateException notRegistered(String name) {
        return new IllegalStateException("State '" + name + "' was restored from the changelog and is used before"
                + " the application registered it with its function");
    }

    private static AggregateFunction<Object, Object, Object> placeholder(String name) {
        return new AggregateFunction<>() {
            @Override
            public Object createAccumulator() {
                throw notRegistered(name);
            }

            @Override
            public Object add(Object value, Object accumulator) {
                throw notRegistered(name);
            }

            @Override
            public Object getResult(Object accumulator) {
                throw notRegistered(name);
            }
        };
    }

    /**
     * Applies change {@code change} of {@code run}: its key and namespace are decoded from the segment's bytes — once
     * for consecutive changes of the same key (what key order makes common) — and the backend's current key is set
     * only when it changes.
     */
    private void apply(ChangeRun<Target> run, int change) throws IOException {
        Target target = run.target(change);
        byte[] file = run.file(change);
        String source = run.source(change);
        int position = run.fields(change);
        fields.setBuffer(file, position, file.length - position);
        int keyLength = fields.readVarInt();
        int keyStart = file.length - fields.available();
        fields.skipBytes(keyLength);
        int namespaceLength = fields.readVarInt();
        int namespaceStart = file.length - fields.available();
        fields.skipBytes(namespaceLength);
        int payloadLength = fields.readVarInt();
        payload.setBuffer(file, file.length - fields.available(), payloadLength);
        if (file != lastKeyFile
                || !Arrays.equals(
                        file, keyStart, keyStart + keyLength, file, lastKeyStart, lastKeyStart + lastKeyLength)) {
            lastKey = ChangeFormat.deserializeExactly(
                    backend.getKeySerializer(), decoder, file, keyStart, keyLength, source);
            lastKeyFile = file;
            lastKeyStart = keyStart;
            lastKeyLength = keyLength;
        }
        if (target != lastNamespaceTarget
                || file != lastNamespaceFile
                || !Arrays.equals(
                        file,
                        namespaceStart,
                        namespaceStart + namespaceLength,
                        file,
                        lastNamespaceStart,
                        lastNamespaceStart + lastNamespaceLength)) {
            lastNamespace = ChangeFormat.deserializeExactly(
                    target.namespaceSerializer(), decoder, file, namespaceStart, namespaceLength, source);
            lastNamespaceTarget = target;
            lastNamespaceFile = file;
            lastNamespaceStart = namespaceStart;
            lastNamespaceLength = namespaceLength;
        }
        apply(target, run.op(change), lastKey, lastNamespace, payload, source);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void apply(Target target, byte op, K key, Object namespace, DataInputDeserializer payload, String source)
            throws IOException {
        if (target.kind() == ChangeFormat.KIND_TIMERS) {
            KeyGroupedTimerQueue<K, Object> queue = timerQueues.computeIfAbsent(
                    target.meta().getName(), name -> backend.createTimerQueue(name, target.namespaceSerializer()));
            Timer<K, Object> timer = new Timer<>(key, namespace, payload.readLong());
            if (op == ChangeFormat.TIMER_ADD) {
                queue.add(timer);
            } else if (op == ChangeFormat.TIMER_REMOVE) {
                queue.remove(timer);
            } else {
                throw unknownOp(op, target, source);
            }
            return;
        }
        if (key != keyOfBackend) {
            backend.setCurrentKey(key);
            keyOfBackend = key;
        }
        State state = state(target, namespace);
        if (op == ChangeFormat.CLEAR) {
            state.clear();
            return;
        }
        List<TypeSerializer<?>> serializers = target.valueSerializers();
        TypeSerializer<Object> first = (TypeSerializer<Object>) serializers.get(0);
        switch (target.meta().getKind()) {
            case VALUE -> {
                requireOp(op, ChangeFormat.SET, target, source);
                ((ValueState<Object>) state).update(ChangeFormat.readField(payload, first, source));
            }
            case REDUCING, AGGREGATING -> {
                requireOp(op, ChangeFormat.SET, target, source);
                ((InternalAppendingState<Object>) state).updateInternal(ChangeFormat.readField(payload, first, source));
            }
            case LIST -> {
                ListState<Object> list = (ListState<Object>) state;
                switch (op) {
                    case ChangeFormat.LIST_ADD -> list.add(ChangeFormat.readField(payload, first, source));
                    case ChangeFormat.LIST_ADD_ALL -> list.addAll(readList(payload, first, source));
                    case ChangeFormat.LIST_UPDATE -> list.update(readList(payload, first, source));
                    case ChangeFormat.MERGE_NAMESPACES -> {
                        int count = payload.readVarInt();
                        List<Object> sources = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            sources.add(ChangeFormat.readField(payload, target.namespaceSerializer(), source));
                        }
                        ((InternalMergingState<Object>) state).mergeNamespaces(namespace, sources);
                    }
                    default -> throw unknownOp(op, target, source);
                }
            }
            case MAP -> {
                MapState<Object, Object> map = (MapState<Object, Object>) state;
                TypeSerializer<Object> valueSerializer = (TypeSerializer<Object>) serializers.get(1);
                switch (op) {
                    case ChangeFormat.MAP_PUT -> {
                        Object userKey = ChangeFormat.readField(payload, first, source);
                        map.put(userKey, readNullable(payload, valueSerializer, source));
                    }
                    case ChangeFormat.MAP_PUT_ALL -> {
                        int count = payload.readVarInt();
                        Map<Object, Object> entries = new LinkedHashMap<>();
                        for (int i = 0; i < count; i++) {
                            Object userKey = ChangeFormat.readField(payload, first, source);
                            entries.put(userKey, readNullable(payload, valueSerializer, source));
                        }
                        map.putAll(entries);
                    }
                    case ChangeFormat.MAP_REMOVE -> map.remove(ChangeFormat.readField(payload, first, source));
                    default -> throw unknownOp(op, target, source);
                }
            }
            default -> throw unknownOp(op, target, source);
        }
    }

    /**
     * {@code backend} as the wrappable backend the changelog needs to reach its stored states.
     *
     * @throws IllegalStateException naming the backend's class if it is not one
     */
    static <K> WrappableKeyedStateBackend<K> wrappable(CheckpointableKeyedStateBackend<K> backend) {
        if (!(backend instanceof WrappableKeyedStateBackend<K> wrappable)) {
            throw new IllegalStateException(
                    "The changelog backend wraps backends that implement WrappableKeyedStateBackend only, not "
                            + backend.getClass().getName());
        }
        return wrappable;
    }

    private State state(Target target, Object namespace) {
        InternalKvState<Object> state = states.get(target.meta().getName());
        if (state == null) {
            state = wrappable(backend)
                    .getOrCreateInternalState(target.namespaceSerializer(), target.descriptor(), target.ttl());
            states.put(target.meta().getName(), state);
        }
        state.setCurrentNamespace(namespace);
        return state;
    }

    private static List<Object> readList(DataInputDeserializer in, TypeSerializer<Object> serializer, String source)
            throws IOException {
        int count = in.readVarInt();
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(ChangeFormat.readField(in, serializer, source));
        }
        return values;
    }

    private static Object readNullable(DataInputDeserializer in, TypeSerializer<Object> serializer, String source)
            throws IOException {
        return in.readBoolean() ? null : ChangeFormat.readField(in, serializer, source);
    }

    private static void requireOp(byte op, byte expected, Target target, String source) {
        if (op != expected) {
            throw unknownOp(op, target, source);
        }
    }

    private static CorruptCheckpointException unknownOp(byte op, Target target, String source) {
        return new CorruptCheckpointException(
                "Change operation " + op + " is not valid for " + target.meta() + " in " + source);
    }
}

package dev.cairn.state.support;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.ChecksummedBlockOutputStream;
import dev.cairn.state.internal.operator.BroadcastMapState;
import dev.cairn.state.internal.operator.OperatorListState;
import dev.cairn.state.internal.serializers.VarInts;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.OperatorStateHandle.Mode;
import dev.cairn.state.spi.OperatorStateHandle.StateInfo;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StateScope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;

/**
 * Operator state on the heap, shared by every backend: list states (even-split or union redistribution) and
 * broadcast map states. Snapshots copy the state in the synchronous part — operator state is small by design —
 * and write it in a checksummed format in the asynchronous part. On restore, the handles of all previous
 * instances are planned together: split lists are concatenated and divided into contiguous parts, union lists
 * are given whole to every instance, broadcast maps are taken from one previous instance each.
 */
public final class DefaultOperatorStateBackend implements OperatorStateBackend {
    /** "CAIRNOS1": marks an operator state stream. */
    static final long MAGIC = 0x434149524E4F5331L;

    static final int VERSION = 1;

    /** A state as registered or restored: mode, serializers, and the live object. */
    private static final class Entry {
        final Mode mode;
        List<TypeSerializer<?>> serializers;
        List<TypeSerializerSnapshot<?>> restoredSnapshots;
        final OperatorListState<Object> list;
        final BroadcastMapState<Object, Object> map;

        Entry(Mode mode, List<TypeSerializer<?>> serializers) {
            this.mode = mode;
            this.serializers = serializers;
            this.list = mode == Mode.BROADCAST ? null : new OperatorListState<>();
            this.map = mode == Mode.BROADCAST ? new BroadcastMapState<>() : null;
        }
    }

    private final String operatorIdentifier;
    private final Map<String, Entry> states = new LinkedHashMap<>();
    private final boolean restored;
    private final InFlightSnapshots inFlight = new InFlightSnapshots();
    private volatile boolean closed;

    private DefaultOperatorStateBackend(OperatorBackendParameters parameters) throws IOException {
        this.operatorIdentifier = parameters.operatorIdentifier();
        this.restored = !parameters.restoreHandles().isEmpty();
        new Restore(parameters).run();
    }

    /**
     * Creates the backend and redistributes the restored handles.
     *
     * @throws CorruptCheckpointException if a handle fails verification
     * @param parameters the operator backend's parameters
     * @return the backend, restored
     */
    public static DefaultOperatorStateBackend create(OperatorBackendParameters parameters) {
        try {
            return new DefaultOperatorStateBackend(parameters);
        } catch (IOException e) {
            throw new dev.cairn.state.CheckpointException(
                    dev.cairn.state.CheckpointException.Reason.RESTORE_FAILED,
                    "Restoring the operator state of '" + parameters.operatorIdentifier() + "' failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public boolean isRestored() {
        return restored;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        return (ListState<T>)
                register(descriptor.getName(), Mode.SPLIT_DISTRIBUTE, List.of(descriptor.getElementSerializer())).list;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
        return (ListState<T>)
                register(descriptor.getName(), Mode.UNION, List.of(descriptor.getElementSerializer())).list;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
        return (MapState<K, V>) (MapState<?, ?>) register(
                        descriptor.getName(),
                        Mode.BROADCAST,
                        List.of(descriptor.getKeySerializer(), descriptor.getValueSerializer()))
                .map;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Entry register(String name, Mode mode, List<TypeSerializer<?>> serializers) {
        Entry entry = states.get(name);
        if (entry == null) {
            entry = new Entry(mode, serializers);
            states.put(name, entry);
            return entry;
        }
        if (entry.mode != mode) {
            throw new StateMigrationException("Operator state '" + name + "' of '" + operatorIdentifier + "' is "
                    + entry.mode + " state, not " + mode);
        }
        if (entry.restoredSnapshots != null) {
            for (int i = 0; i < serializers.size(); i++) {
                TypeSerializerSchemaCompatibility<?> compatibility = ((TypeSerializerSnapshot)
                                entry.restoredSnapshots.get(i))
                        .resolveSchemaCompatibility(serializers.get(i));
                if (compatibility.isIncompatible()) {
                    throw new StateMigrationException("Operator state '" + name + "' of '" + operatorIdentifier
                            + "': the new serializer is incompatible with the restored data: "
                            + compatibility.reason());
                }
            }
            entry.restoredSnapshots = null;
        }
        entry.serializers = serializers;
        return entry;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options) {
        if (closed) {
            throw new IllegalStateException("The operator state backend of '" + operatorIdentifier + "' is closed");
        }
        // Synchronous part: deep copies, so the task may keep changing its state.
        Map<String, Entry> copies = new LinkedHashMap<>();
        Map<String, Object> contents = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : states.entrySet()) {
            Entry entry = e.getValue();
            copies.put(e.getKey(), entry);
            if (entry.mode == Mode.BROADCAST) {
                contents.put(
                        e.getKey(),
                        ((TypeSerializer) dev.cairn.state.Serializers.mapOf(
                                        entry.serializers.get(0), entry.serializers.get(1)))
                                .copy(entry.map.contents()));
            } else {
                contents.put(
                        e.getKey(),
                        ((TypeSerializer) dev.cairn.state.Serializers.listOf(entry.serializers.get(0)))
                                .copy(entry.list.contents()));
            }
        }
        Map<String, List<TypeSerializer<?>>> serializers = new LinkedHashMap<>();
        copies.forEach((name, entry) -> serializers.put(name, entry.serializers));
        if (copies.isEmpty()) {
            return AsyncSnapshotTask.empty();
        }
        return AsyncSnapshotTask.<OperatorStateHandle>create(
                        task -> SnapshotResult.of(write(streamFactory, copies, contents, serializers, task)),
                        result -> result.getHandle().discardState(),
                        () -> {})
                .trackedBy(inFlight);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static OperatorStateHandle write(
            CheckpointStreamFactory streamFactory,
            Map<String, Entry> entries,
            Map<String, Object> contents,
            Map<String, List<TypeSerializer<?>>> serializers,
            AsyncSnapshotTask<?> task)
            throws IOException {
        task.throwIfCancelled();
        CheckpointStateOutputStream out = streamFactory.createOutputStream(StateScope.EXCLUSIVE);
        boolean done = false;
        try {
            DataOutputStream raw = new DataOutputStream(out);
            raw.writeLong(MAGIC);
            raw.writeInt(VERSION);
            raw.flush();
            ChecksummedBlockOutputStream blocks = new ChecksummedBlockOutputStream(out);
            DataOutputStream data = new DataOutputStream(blocks);
            data.writeInt(entries.size());
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                data.writeUTF(e.getKey());
                data.writeByte(e.getValue().mode.ordinal());
                List<TypeSerializer<?>> stateSerializers = serializers.get(e.getKey());
                data.writeInt(stateSerializers.size());
                for (TypeSerializer<?> serializer : stateSerializers) {
                    TypeSerializerSnapshot.writeVersionedSnapshot(data, serializer.snapshotConfiguration());
                }
            }
            data.flush();
            blocks.finish();
            Map<String, StateInfo> infos = new HashMap<>();
            DataOutputSerializer field = new DataOutputSerializer(64);
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                task.throwIfCancelled();
                long offset = out.getPos();
                List<TypeSerializer<?>> stateSerializers = serializers.get(e.getKey());
                int count = 0;
                if (e.getValue().mode == Mode.BROADCAST) {
                    for (Map.Entry<Object, Object> mapEntry :
                            ((Map<Object, Object>) contents.get(e.getKey())).entrySet()) {
                        writeField(data, field, (TypeSerializer) stateSerializers.get(0), mapEntry.getKey());
                        data.writeBoolean(mapEntry.getValue() == null);
                        if (mapEntry.getValue() != null) {
                            writeField(data, field, (TypeSerializer) stateSerializers.get(1), mapEntry.getValue());
                        }
                        count++;
                    }
                } else {
                    for (Object element : (List<Object>) contents.get(e.getKey())) {
                        writeField(data, field, (TypeSerializer) stateSerializers.get(0), element);
                        count++;
                    }
                }
                data.flush();
                blocks.finish();
                infos.put(e.getKey(), new StateInfo(e.getValue().mode, offset, count));
            }
            OperatorStateHandle handle = new OperatorStateHandle(out.closeAndGetHandle(), infos);
            done = true;
            return handle;
        } finally {
            if (!done) {
                out.close();
            }
        }
    }

    private static <T> void writeField(
            DataOutputStream data, DataOutputSerializer field, TypeSerializer<T> serializer, T value)
            throws IOException {
        field.clear();
        serializer.serialize(value, field);
        VarInts.write(data, field.length());
        data.write(field.getSharedBuffer(), 0, field.length());
    }

    /** Plans and performs the redistribution of the restored handles into this instance. */
    private final class Restore {
        private final OperatorBackendParameters parameters;

        Restore(OperatorBackendParameters parameters) {
            this.parameters = parameters;
        }

        void run() throws IOException {
            List<OperatorStateHandle> handles = parameters.restoreHandles();
            Map<String, Long> totals = new HashMap<>();
            for (OperatorStateHandle handle : handles) {
                handle.getStates().forEach((name, info) -> totals.merge(name, (long) info.count(), Long::sum));
            }
            Map<String, Long> seen = new HashMap<>();
            for (int h = 0; h < handles.size(); h++) {
                restoreHandle(handles.get(h), h, handles.size(), totals, seen);
            }
        }

        private void restoreHandle(
                OperatorStateHandle handle,
                int handleIndex,
                int handleCount,
                Map<String, Long> totals,
                Map<String, Long> seen)
                throws IOException {
            String source = handle.getStream().describe();
            try (StateInputStream in = handle.getStream().openInputStream()) {
                Map<String, List<TypeSerializerSnapshot<?>>> snapshots = new LinkedHashMap<>();
                Map<String, Mode> modes = new HashMap<>();
                for (OperatorStateFormat.StateHeader state :
                        OperatorStateFormat.readHeader(in, parameters.classLoader(), source)) {
                    modes.put(state.name(), state.mode());
                    snapshots.put(state.name(), state.serializers());
                }
                for (Map.Entry<String, List<TypeSerializerSnapshot<?>>> state : snapshots.entrySet()) {
                    String name = state.getKey();
                    StateInfo info = handle.getStates().get(name);
                    if (info == null || info.mode() != modes.get(name)) {
                        throw new CorruptCheckpointException(
                                "Operator state '" + name + "' in " + source + " does not match its handle");
                    }
                    Entry entry = restoredEntry(name, info.mode(), state.getValue(), source);
                    long first = seen.getOrDefault(name, 0L);
                    seen.put(name, first + info.count());
                    DataInputStream data = OperatorStateFormat.openSection(in, info, source + " state " + name);
                    readState(data, entry, info, first, totals.get(name), handleIndex, handleCount, source);
                }
            } catch (EOFException e) {
                throw new CorruptCheckpointException("Unexpected end of " + source + ": the file is truncated", e);
            }
        }

        private Entry restoredEntry(String name, Mode mode, List<TypeSerializerSnapshot<?>> snapshots, String source) {
            Entry entry = states.get(name);
            if (entry == null) {
                List<TypeSerializer<?>> serializers = new ArrayList<>();
                for (TypeSerializerSnapshot<?> snapshot : snapshots) {
                    serializers.add(snapshot.restoreSerializer());
                }
                entry = new Entry(mode, serializers);
                entry.restoredSnapshots = snapshots;
                states.put(name, entry);
            } else if (entry.mode != mode) {
                throw new CorruptCheckpointException(
                        "Operator state '" + name + "' has different modes in different snapshots (" + source + ")");
            }
            return entry;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void readState(
                DataInputStream data,
                Entry entry,
                StateInfo info,
                long firstGlobalIndex,
                long total,
                int handleIndex,
                int handleCount,
                String source)
                throws IOException {
            int index = parameters.index();
            int parallelism = parameters.parallelism();
            long from = total * index / parallelism;
            long to = total * (index + 1) / parallelism;
            boolean takeMap = handleIndex == index % handleCount;
            DataInputDeserializer field = new DataInputDeserializer();
            for (int i = 0; i < info.count(); i++) {
                long globalIndex = firstGlobalIndex + i;
                if (entry.mode == Mode.BROADCAST) {
                    Object key = readField(data, field, takeMap ? entry.serializers.get(0) : null);
                    Object value = data.readBoolean()
                            ? null
                            : readField(data, field, takeMap ? entry.serializers.get(1) : null);
                    if (takeMap) {
                        entry.map.put(key, value);
                    }
                } else {
                    boolean take = entry.mode == Mode.UNION || (globalIndex >= from && globalIndex < to);
                    Object element = readField(data, field, take ? entry.serializers.get(0) : null);
                    if (take) {
                        entry.list.add(element);
                    }
                }
            }
            if (data.read() != -1) {
                throw new CorruptCheckpointException("Operator state section in " + source + " has trailing data");
            }
        }

        private Object readField(DataInputStream data, DataInputDeserializer field, TypeSerializer<?> serializer)
                throws IOException {
            byte[] bytes = OperatorStateFormat.readField(data);
            if (serializer == null) {
                return null; // skipped: another instance takes this element
            }
            field.setBuffer(bytes, 0, bytes.length);
            return serializer.deserialize(field);
        }
    }

    /** Releases the states; snapshots whose asynchronous part has not finished end as cancelled. Idempotent. */
    @Override
    public void close() {
        closed = true;
        inFlight.cancelAll();
        states.clear();
    }

    @Override
    public String toString() {
        return "DefaultOperatorStateBackend{" + operatorIdentifier + ", states " + states.keySet() + "}";
    }
}

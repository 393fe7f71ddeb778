package dev.cairn.processor.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.StateMetaInfo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one operator's canonical keyed state for a new parallelism and, optionally, a new max parallelism (a new
 * number of key groups).
 *
 * <p><b>Design.</b> Records are copied as bytes: key, namespace and values are never deserialized, except the key
 * when its key group must be computed again (a new max parallelism, or a snapshot partitioned by Cairn's earlier
 * key-group hash) — then the key is deserialized with the snapshot's own key serializer and hashed as the restoring
 * backend will. With the same key groups, each new instance reads its key groups straight from the old streams (a
 * canonical stream can seek to any key group). With new key groups, records are first spilled into one temporary
 * file per new key group (at most {@value #OPEN_SPILL_FILES} open at a time), then written key group by key group:
 * memory stays bounded by one record and the spill buffers. TTL timestamps and timers move with their key.
 */
public final class Repartitioner {
    private static final int OPEN_SPILL_FILES = 64;

    private final Path spillDirectory;
    private final ClassLoader classLoader;

    /**
     * A repartitioner spilling into a directory.
     *
     * @param spillDirectory an empty directory for spill files
     * @param classLoader loads the serializers the snapshots name
     */
    public Repartitioner(Path spillDirectory, ClassLoader classLoader) {
        this.spillDirectory = spillDirectory;
        this.classLoader = classLoader;
    }

    /**
     * Writes the state of {@code sources} for {@code parallelism} instances over {@code maxParallelism} key groups.
     *
     * @param operatorId the operator, for messages
     * @param sources the canonical handles of every old instance
     * @param parallelism the new number of instances
     * @param maxParallelism the new number of key groups
     * @param target where the new streams go
     * @return one handle per new instance, in instance order
     * @throws IOException when reading, spilling or writing fails
     */
    public List<KeyGroupsStateHandle> repartition(
            String operatorId,
            List<KeyGroupsStateHandle> sources,
            int parallelism,
            int maxParallelism,
            CheckpointStreamFactory target)
            throws IOException {
        KeyGroupRangeAssignment.checkParallelism(maxParallelism, parallelism);
        List<Source> opened = new ArrayList<>();
        try {
            List<StateMetaInfo> states = new ArrayList<>();
            TypeSerializerSnapshot<?> keySnapshot = null;
            int oldMaxParallelism = -1;
            boolean rehash = false;
            for (KeyGroupsStateHandle handle : sources) {
                CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, classLoader);
                opened.add(new Source(handle, reader, new int[reader.getStates().size()]));
                if (keySnapshot == null) {
                    keySnapshot = reader.getKeySerializerSnapshot();
                    oldMaxParallelism = reader.getNumberOfKeyGroups();
                } else if (oldMaxParallelism != reader.getNumberOfKeyGroups()) {
                    throw new IllegalArgumentException("The instances of operator '" + operatorId
                            + "' disagree on the max parallelism: " + oldMaxParallelism + " and "
                            + reader.getNumberOfKeyGroups());
                }
                rehash |= reader.isLegacyKeyGroupHash();
                for (StateMetaInfo meta : reader.getStates()) {
                    if (indexOf(states, meta.getName()) < 0) {
                        states.add(meta);
                    }
                }
            }
            if (keySnapshot == null) {
                return List.of();
            }
            // Each source's state indexes in the output, resolved once rather than per record.
            for (Source source : opened) {
                List<StateMetaInfo> own = source.reader().getStates();
                for (int i = 0; i < own.size(); i++) {
                    source.outputIndex()[i] = indexOf(states, own.get(i).getName());
                }
            }
            @SuppressWarnings("unchecked")
            TypeSerializer<Object> keySerializer = (TypeSerializer<Object>) keySnapshot.restoreSerializer();
            rehash |= oldMaxParallelism != maxParallelism;
            SpillFiles spill = rehash ? spill(opened, keySerializer, maxParallelism) : null;
            List<KeyGroupsStateHandle> result = new ArrayList<>(parallelism);
            for (int index = 0; index < parallelism; index++) {
                KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism, parallelism, index);
                try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                        target.createOutputStream(StateScope.EXCLUSIVE),
                        range,
                        keySerializer,
                        maxParallelism,
                        states)) {
                    for (int keyGroup : range) {
                        writer.startKeyGroup(keyGroup);
                        if (spill != null) {
                            spill.copyKeyGroup(keyGroup, writer, states);
                        } else {
                            copyKeyGroup(opened, keyGroup, writer);
                        }
                        writer.endKeyGroup();
                    }
                    result.add(writer.finish());
                }
            }
            return result;
        } finally {
            for (Source source : opened) {
                source.reader().close();
            }
        }
    }

    /** An old instance's stream, and where each of its states goes in the output's state list. */
    private record Source(KeyGroupsStateHandle handle, CanonicalSnapshotReader reader, int[] outputIndex) {}

    private static int indexOf(List<StateMetaInfo> states, String name) {
        for (int i = 0; i < states.size(); i++) {
            if (states.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Same key groups: copies one key group from the old stream that holds it. */
    private static void copyKeyGroup(List<Source> sources, int keyGroup, CanonicalSnapshotWriter writer)
            throws IOException {
        for (Source source : sources) {
            if (!source.handle().getKeyGroupRange().contains(keyGroup)) {
                continue;
            }
            CanonicalSnapshotReader reader = source.reader();
            List<StateMetaInfo> own = reader.getStates();
            reader.seekKeyGroup(keyGroup);
            for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                StateMetaInfo meta = own.get(index);
                writer.startRecord(source.outputIndex()[index]);
                CanonicalEntries.copyRecord(reader, writer, meta.getKind());
            }
            return;
        }
    }

    /** New key groups: every record into the spill file of its new key group. */
    private SpillFiles spill(List<Source> sources, TypeSerializer<Object> keySerializer, int maxParallelism)
            throws IOException {
        SpillFiles spill = new SpillFiles(spillDirectory);
        DataInputDeserializer keyInput = new DataInputDeserializer();
        try {
            for (Source source : sources) {
                CanonicalSnapshotReader reader = source.reader();
                List<StateMetaInfo> own = reader.getStates();
                for (int keyGroup : source.handle().getKeyGroupRange()) {
                    reader.seekKeyGroup(keyGroup);
                    for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                        StateMetaInfo meta = own.get(index);
                        byte[] key = reader.readBytes();
                        keyInput.setBuffer(key, 0, key.length);
                        int newKeyGroup = KeyGroupRangeAssignment.assignToKeyGroup(
                                keySerializer.deserialize(keyInput), maxParallelism);
                        DataOutputStream out = spill.output(newKeyGroup);
                        out.writeInt(source.outputIndex()[index]);
                        writeField(out, key);
                        writeField(out, reader.readBytes()); // namespace
                        switch (meta.getKind()) {
                            case TIMERS -> out.writeLong(reader.readLong());
                            case LIST -> {
                                int count = reader.readCount();
                                out.writeInt(count);
                                for (int i = 0; i < count; i++) {
                                    writeField(out, reader.readBytes());
                                }
                            }
                            case MAP -> {
                                writeField(out, reader.readBytes());
                                boolean isNull = reader.readBoolean();
                                out.writeBoolean(isNull);
                                if (!isNull) {
                                    writeField(out, reader.readBytes());
                                }
                            }
                            default -> writeField(out, reader.readBytes());
                        }
                    }
                }
            }
        } finally {
            spill.closeAll();
        }
        return spill;
    }

    private static void writeField(DataOutputStream out, byte[] field) throws IOException {
        out.writeInt(field.length);
        out.write(field);
    }

    private static byte[] readField(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }

    /** One append-only file per new key group; a bounded number open at once. */
    private static final class SpillFiles {
        private final Path directory;
        private final Map<Integer, DataOutputStream> open = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, DataOutputStream> eldest) {
                if (size() > OPEN_SPILL_FILES) {
                    try {
                        eldest.getValue().close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return true;
                }
                return false;
            }
        };

        SpillFiles(Path directory) {
            this.directory = directory;
        }

        private Path file(int keyGroup) {
            return directory.resolve("key-group-" + keyGroup + ".spill");
        }

        DataOutputStream output(int keyGroup) throws IOException {
            DataOutputStream out = open.get(keyGroup);
            if (out == null) {
                out = new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(file(keyGroup), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
                        8192));
                open.put(keyGroup, out);
            }
            return out;
        }

        void closeAll() throws IOException {
            for (DataOutputStream out : open.values()) {
                out.close();
            }
            open.clear();
        }

        void copyKeyGroup(int keyGroup, CanonicalSnapshotWriter writer, List<StateMetaInfo> states) throws IOException {
            Path file = file(keyGroup);
            if (!Files.exists(file)) {
                return;
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                while (true) {
                    int index;
                    try {
                        index = in.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    writer.startRecord(index);
                    byte[] key = readField(in);
                    writer.writeBytes(key, 0, key.length);
                    byte[] namespace = readField(in);
                    writer.writeBytes(namespace, 0, namespace.length);
                    switch (states.get(index).getKind()) {
                        case TIMERS -> writer.writeLong(in.readLong());
                        case LIST -> {
                            int count = in.readInt();
                            writer.writeCount(count);
                            for (int i = 0; i < count; i++) {
                                byte[] element = readField(in);
                                writer.writeBytes(element, 0, element.length);
                            }
                        }
                        case MAP -> {
                            byte[] userKey = readField(in);
                            writer.writeBytes(userKey, 0, userKey.length);
                            boolean isNull = in.readBoolean();
                            writer.writeBoolean(isNull);
                            if (!isNull) {
                                byte[] value = readField(in);
                                writer.writeBytes(value, 0, value.length);
                            }
                        }
                        default -> {
                            byte[] value = readField(in);
                            writer.writeBytes(value, 0, value.length);
                        }
                    }
                }
            }
            Files.delete(file);
        }
    }
}

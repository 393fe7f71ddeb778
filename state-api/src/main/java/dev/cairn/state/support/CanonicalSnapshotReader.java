package dev.cairn.state.support;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.ChecksummedBlockInputStream;
import dev.cairn.state.internal.serializers.VarInts;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a snapshot written by {@link CanonicalSnapshotWriter}. Every byte passes a CRC32C check before it is
 * interpreted; damage raises {@link CorruptCheckpointException} naming the stream.
 *
 * <p>Usage: {@link #open}, inspect {@link #getStates()}, then for each wanted key group {@link #seekKeyGroup} and
 * read records while {@link #nextRecord()} returns a state index.
 */
public final class CanonicalSnapshotReader implements AutoCloseable {
    private final KeyGroupsStateHandle handle;
    private final StateInputStream in;
    private final String source;
    private final TypeSerializerSnapshot<?> keySerializer;
    private final int numberOfKeyGroups;
    private final List<StateMetaInfo> states;
    private final boolean legacyKeyGroupHash;
    private final DataInputDeserializer fieldInput = new DataInputDeserializer();
    private byte[] fieldBuffer = new byte[256];
    private DataInputStream data;
    private ChecksummedBlockInputStream sections;

    private CanonicalSnapshotReader(
            KeyGroupsStateHandle handle, StreamStateHandle stream, ClassLoader classLoader, StreamFormat format)
            throws IOException {
        this.handle = handle;
        this.source = stream.describe();
        this.in = stream.openInputStream();
        try {
            DataInputStream raw = new DataInputStream(in);
            long magic = raw.readLong();
            if (magic != format.magic()) {
                throw new CorruptCheckpointException(
                        source + " is not a " + format.description() + " (bad magic number)");
            }
            int version = raw.readInt();
            if (format.magic() == CanonicalSnapshotWriter.MAGIC) {
                if (version != CanonicalSnapshotWriter.VERSION
                        && version != CanonicalSnapshotWriter.LEGACY_KEY_GROUP_HASH_VERSION) {
                    throw new CorruptCheckpointException(source + " has canonical format version " + version
                            + "; this Cairn reads versions " + CanonicalSnapshotWriter.LEGACY_KEY_GROUP_HASH_VERSION
                            + " and " + CanonicalSnapshotWriter.VERSION);
                }
            } else if (version != format.version()) {
                throw new CorruptCheckpointException(source + " is a " + format.description() + " of version " + version
                        + "; this Cairn reads version " + format.version());
            }
            this.legacyKeyGroupHash = format.magic() == CanonicalSnapshotWriter.MAGIC
                    && version == CanonicalSnapshotWriter.LEGACY_KEY_GROUP_HASH_VERSION;
            ChecksummedBlockInputStream headerBlocks = new ChecksummedBlockInputStream(in, source);
            DataInputStream header = new DataInputStream(headerBlocks);
            keySerializer = TypeSerializerSnapshot.readVersionedSnapshot(header, classLoader);
            numberOfKeyGroups = header.readInt();
            int count = header.readInt();
            List<StateMetaInfo> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                read.add(StateMetaInfo.read(header, classLoader, source));
            }
            states = List.copyOf(read);
            headerBlocks.expectEnd();
        } catch (EOFException e) {
            in.close();
            throw new CorruptCheckpointException("Unexpected end of " + source + ": the file is truncated", e);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Opens the handle's stream and reads its header.
     *
     * @param handle the snapshot's handle
     * @param classLoader loads the serializer snapshots' classes
     * @return the reader, positioned at no key group
     * @throws IOException when the header cannot be read or is corrupt
     */
    public static CanonicalSnapshotReader open(KeyGroupsStateHandle handle, ClassLoader classLoader)
            throws IOException {
        return new CanonicalSnapshotReader(handle, handle.getStream(), classLoader, StreamFormat.CANONICAL);
    }

    /**
     * Opens a stream of another format that uses the canonical framing (header section, checksummed sections),
     * such as the heap backend's incremental checkpoint files, and reads its header. Sections are found with
     * {@link #seekSection}, not by key group.
     *
     * @param stream the stream
     * @param classLoader loads the serializer snapshots' classes
     * @param format the magic number and version the stream must start with
     * @return the reader, positioned at no section
     * @throws IOException when the header cannot be read or is corrupt
     */
    public static CanonicalSnapshotReader open(StreamStateHandle stream, ClassLoader classLoader, StreamFormat format)
            throws IOException {
        return new CanonicalSnapshotReader(null, stream, classLoader, format);
    }

    /**
     * Whether the snapshot's key groups come from Cairn's earlier key-group hash (format version 1): a restore
     * must then read every key group and assign each key its key group again.
     *
     * @return whether the snapshot was partitioned with Cairn's earlier key-group hash
     */
    public boolean isLegacyKeyGroupHash() {
        return legacyKeyGroupHash;
    }

    /** {@return the snapshot of the serializer that wrote the keys} */
    public TypeSerializerSnapshot<?> getKeySerializerSnapshot() {
        return keySerializer;
    }

    /** {@return the max parallelism of the snapshot; a restore must use the same} */
    public int getNumberOfKeyGroups() {
        return numberOfKeyGroups;
    }

    /** {@return the states in header order; record state indexes refer to this list} */
    public List<StateMetaInfo> getStates() {
        return states;
    }

    /**
     * Checks that this snapshot can be restored into a backend with {@code numberOfKeyGroups} key groups and
     * {@code keySerializer}, and returns the serializer that reads the snapshot's keys.
     *
     * @param keyBytesAsIs whether the backend keeps key bytes (then the key serializer must be compatible as is)
     * @throws dev.cairn.state.StateMigrationException when the max parallelism changed or the key serializer is
     *     incompatible
     * @param <K> the key type
     * @param numberOfKeyGroups the restoring backend's number of key groups
     * @param keySerializer the restoring backend's key serializer
     * @return the serializer that reads the snapshot's keys
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <K> TypeSerializer<K> checkRestorableInto(
            int numberOfKeyGroups, TypeSerializer<K> keySerializer, boolean keyBytesAsIs) {
        if (this.numberOfKeyGroups != numberOfKeyGroups) {
            throw new dev.cairn.state.StateMigrationException("The snapshot " + source + " was taken with "
                    + this.numberOfKeyGroups + " key groups (max parallelism), the backend has " + numberOfKeyGroups
                    + "; the max parallelism cannot change across a restore");
        }
        dev.cairn.state.TypeSerializerSchemaCompatibility<?> compatibility =
                ((TypeSerializerSnapshot) this.keySerializer).resolveSchemaCompatibility(keySerializer);
        if (compatibility.isIncompatible() || (keyBytesAsIs && !compatibility.isCompatibleAsIs())) {
            throw new dev.cairn.state.StateMigrationException("The new key serializer is incompatible with the"
                    + " restored keys"
                    + (keyBytesAsIs ? " (the backend stores key bytes, so they must be compatible as is)" : "")
                    + ": " + compatibility);
        }
        return (TypeSerializer<K>) this.keySerializer.restoreSerializer();
    }

    /** {@return the key groups this handle holds} */
    public KeyGroupRange getKeyGroupRange() {
        if (handle == null) {
            throw new IllegalStateException("A stream opened without key-group offsets has no key-group range");
        }
        return handle.getKeyGroupRange();
    }

    /**
     * Positions the reader at the start of {@code keyGroup}'s section.
     *
     * @param keyGroup a key group of the handle
     * @throws IOException when the stream cannot be positioned
     */
    public void seekKeyGroup(int keyGroup) throws IOException {
        if (handle == null) {
            throw new IllegalStateException("A stream opened without key-group offsets is read with seekSection");
        }
        seekSection(handle.getOffsets().getOffset(keyGroup), "key group " + keyGroup);
    }

    /**
     * Positions the reader at the section starting at {@code offset}.
     *
     * @param offset the section's position in the stream
     * @param description what the section holds, for error messages (e.g. "key group 7")
     * @throws IOException when the stream cannot be positioned
     */
    public void seekSection(long offset, String description) throws IOException {
        in.seek(offset);
        if (sections == null) {
            sections = new ChecksummedBlockInputStream(in, source + " " + description);
            data = new DataInputStream(sections);
        } else {
            sections.restart(source + " " + description);
        }
    }

    /**
     * {@return the state index of the next record, or -1 at the end of the key group}
     *
     * @throws IOException when the section is corrupt or truncated
     */
    public int nextRecord() throws IOException {
        checkPositioned();
        int first = data.read(); // -1 only at the section's verified end marker
        if (first < 0) {
            return -1;
        }
        int stateIndex;
        try {
            stateIndex = VarInts.read(first, data);
        } catch (EOFException e) {
            throw truncated(e);
        }
        if (stateIndex >= states.size()) {
            throw new CorruptCheckpointException("Record for unknown state index " + stateIndex + " in " + source);
        }
        return stateIndex;
    }

    /**
     * Reads a length-prefixed field with {@code serializer}, checking that it consumes exactly the field.
     *
     * @param <T> the field's type
     * @param serializer reads the field
     * @return the value
     * @throws IOException when the field is corrupt or truncated
     */
    public <T> T readSerialized(TypeSerializer<T> serializer) throws IOException {
        int length = readField();
        fieldInput.setBuffer(fieldBuffer, 0, length);
        T value;
        try {
            value = serializer.deserialize(fieldInput);
        } catch (EOFException e) {
            throw new CorruptCheckpointException(
                    "A field in " + source + " is shorter than " + serializer
                            + " expects: the serializer does not match the data",
                    e);
        }
        if (fieldInput.available() != 0) {
            throw new CorruptCheckpointException("A field in " + source + " has " + fieldInput.available()
                    + " bytes more than " + serializer + " read: the serializer does not match the data");
        }
        return value;
    }

    /**
     * Reads a length-prefixed field as bytes.
     *
     * @return the field's bytes
     * @throws IOException when the field is corrupt or truncated
     */
    public byte[] readBytes() throws IOException {
        int length = readField();
        byte[] copy = new byte[length];
        System.arraycopy(fieldBuffer, 0, copy, 0, length);
        return copy;
    }

    /**
     * Reads a count written by {@link CanonicalSnapshotWriter#writeCount}.
     *
     * @return the count
     * @throws IOException when the section is corrupt or truncated
     */
    public int readCount() throws IOException {
        return readVarInt();
    }

    /**
     * Reads a flag written by {@link CanonicalSnapshotWriter#writeBoolean}.
     *
     * @return the flag
     * @throws IOException when the section is corrupt or truncated
     */
    public boolean readBoolean() throws IOException {
        checkPositioned();
        try {
            return data.readBoolean();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    /**
     * Reads a value written by {@link CanonicalSnapshotWriter#writeLong}.
     *
     * @return the value
     * @throws IOException when the section is corrupt or truncated
     */
    public long readLong() throws IOException {
        checkPositioned();
        try {
            return data.readLong();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    private int readVarInt() throws IOException {
        checkPositioned();
        try {
            return VarInts.read(data);
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    private int readField() throws IOException {
        int length = readVarInt();
        if (length > fieldBuffer.length) {
            fieldBuffer = new byte[Math.max(length, fieldBuffer.length * 2)];
        }
        try {
            data.readFully(fieldBuffer, 0, length);
        } catch (EOFException e) {
            throw truncated(e);
        }
        return length;
    }

    private void checkPositioned() {
        if (data == null) {
            throw new IllegalStateException("Call seekKeyGroup before reading records");
        }
    }

    private CorruptCheckpointException truncated(EOFException e) {
        return new CorruptCheckpointException("Unexpected end of a key-group section in " + source, e);
    }

    /**
     * Reads past the rest of a record — its value fields after key and namespace — without decoding it: for readers
     * that skip records of key groups or states they do not want.
     *
     * @param kind the kind of the record's state
     * @throws IOException when the section is corrupt or truncated
     */
    public void skipRecordRest(StateKind kind) throws IOException {
        switch (kind) {
            case TIMERS -> readLong();
            case LIST -> {
                int count = readCount();
                for (int i = 0; i < count; i++) {
                    readBytes();
                }
            }
            case MAP -> {
                readBytes();
                if (!readBoolean()) {
                    readBytes();
                }
            }
            default -> readBytes();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

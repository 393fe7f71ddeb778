package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.ChecksummedBlockOutputStream;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.KeyGroupRangeOffsets;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Writes a keyed snapshot in the canonical, backend-independent format ({@code docs/format.md}): a header with
 * the meta information of every state, then one checksummed section per key group of records
 * {@code (state index, key bytes, namespace bytes, value data)}.
 *
 * <p>Usage: for each key group of the range in ascending order, {@link #startKeyGroup}, then for each entry
 * {@link #startRecord} followed by the record's fields ({@link #writeSerialized}, {@link #writeBytes},
 * {@link #writeCount}, {@link #writeBoolean}) as {@code docs/format.md} lays them out for the state's type, then
 * {@link #endKeyGroup}; finally {@link #finish}. The writer takes ownership of the output stream.
 */
public final class CanonicalSnapshotWriter implements AutoCloseable {
    /** "CAIRNKS1": marks a canonical keyed snapshot stream. */
    public static final long MAGIC = 0x434149524E4B5331L;
    /** The current format version: 2, key groups assigned with Flink's hash. */
    public static final int VERSION = 2;

    /** The version whose key groups came from Cairn's earlier hash; read and re-partitioned on restore. */
    public static final int LEGACY_KEY_GROUP_HASH_VERSION = 1;

    private final CheckpointStateOutputStream out;
    private final KeyGroupRange range;
    private final ChecksummedBlockOutputStream blocks;
    private final DataOutputStream data;
    private final DataOutputSerializer scratch = new DataOutputSerializer(256);
    private final long[] offsets;
    private int nextKeyGroup;
    private boolean inKeyGroup;
    private boolean done;

    /**
     * Writes the header.
     *
     * @param out the stream to write to
     * @param range the key groups to write
     * @param keySerializer the serializer of the keys
     * @param numberOfKeyGroups the number of key groups (max parallelism)
     * @param states the meta information of the states, in record index order
     * @throws IOException when the header cannot be written
     */
    public CanonicalSnapshotWriter(
            CheckpointStateOutputStream out,
            KeyGroupRange range,
            TypeSerializer<?> keySerializer,
            int numberOfKeyGroups,
            List<StateMetaInfo> states)
            throws IOException {
        this(out, range, keySerializer, numberOfKeyGroups, states, StreamFormat.CANONICAL);
    }

    /**
     * Writes the header of a stream of another format that uses the canonical framing (such as the heap
     * backend's incremental checkpoint files): {@code format}'s magic number and version instead of the canonical
     * ones. Sections are still written in key-group order, but their content is the format's own.
     *
     * @param out the stream to write to
     * @param range the key groups to write
     * @param keySerializer the serializer of the keys
     * @param numberOfKeyGroups the number of key groups (max parallelism)
     * @param states the meta information of the states, in record index order
     * @param format the magic number and version to write
     * @throws IOException when the header cannot be written
     */
    public CanonicalSnapshotWriter(
            CheckpointStateOutputStream out,
            KeyGroupRange range,
            TypeSerializer<?> keySerializer,
            int numberOfKeyGroups,
            List<StateMetaInfo> states,
            StreamFormat format)
            throws IOException {
        this.out = out;
        this.range = range;
        this.offsets = new long[range.getNumberOfKeyGroups()];
        this.nextKeyGroup = range.getStartKeyGroup();
        this.blocks = new ChecksummedBlockOutputStream(out);
        this.data = new DataOutputStream(blocks);
        DataOutputStream raw = new DataOutputStream(out);
        raw.writeLong(format.magic());
        raw.writeInt(format.version());
        TypeSerializerSnapshot.writeVersionedSnapshot(data, keySerializer.snapshotConfiguration());
        data.writeInt(numberOfKeyGroups);
        data.writeInt(states.size());
        for (StateMetaInfo state : states) {
            state.write(data);
        }
        data.flush();
        blocks.finish();
    }

    /**
     * Begins the section of {@code keyGroup}, which must be the next key group of the range.
     *
     * @param keyGroup the next key group, in ascending order
     * @throws IOException when the stream fails
     */
    public void startKeyGroup(int keyGroup) throws IOException {
        if (inKeyGroup || keyGroup != nextKeyGroup || !range.contains(keyGroup)) {
            throw new IllegalStateException(
                    "Expected key group " + nextKeyGroup + " of " + range + ", got " + keyGroup);
        }
        offsets[keyGroup - range.getStartKeyGroup()] = out.getPos();
        inKeyGroup = true;
    }

    /**
     * The bytes of records written so far (framing and header not counted), so a writer can measure what one
     * state's records take.
     *
     * @return the record bytes written
     */
    public long recordBytes() {
        return blocks.position();
    }

    /**
     * Begins a record of the state at {@code stateIndex} in the header's state list.
     *
     * @param stateIndex the record's state, as an index into the states
     * @throws IOException when the stream fails
     */
    public void startRecord(int stateIndex) throws IOException {
        blocks.writeVarInt(stateIndex);
    }

    /**
     * Writes {@code value} as a length-prefixed field.
     *
     * @param <T> the field's type
     * @param serializer writes the field
     * @param value the value
     * @throws IOException when the stream fails
     */
    public <T> void writeSerialized(TypeSerializer<T> serializer, T value) throws IOException {
        scratch.clear();
        serializer.serialize(value, scratch);
        writeBytes(scratch.getSharedBuffer(), 0, scratch.length());
    }

    /**
     * Writes already serialized bytes as a length-prefixed field.
     *
     * @param bytes the field's bytes
     * @param offset where they start
     * @param length how many
     * @throws IOException when the stream fails
     */
    public void writeBytes(byte[] bytes, int offset, int length) throws IOException {
        // Records go to the block stream directly: a DataOutputStream's writes are synchronized, a lock per field.
        blocks.writeVarInt(length);
        blocks.write(bytes, offset, length);
    }

    /**
     * Writes a count (the number of list elements).
     *
     * @param count the count
     * @throws IOException when the stream fails
     */
    public void writeCount(int count) throws IOException {
        blocks.writeVarInt(count);
    }

    /**
     * Writes a timestamp (8 bytes, big-endian).
     *
     * @param value the value
     * @throws IOException when the stream fails
     */
    public void writeLong(long value) throws IOException {
        blocks.writeLong(value);
    }

    /**
     * Writes a flag (a map value's null marker).
     *
     * @param flag the flag
     * @throws IOException when the stream fails
     */
    public void writeBoolean(boolean flag) throws IOException {
        blocks.write(flag ? 1 : 0);
    }

    /**
     * Ends the current key group's section.
     *
     * @throws IOException when the stream fails
     */
    public void endKeyGroup() throws IOException {
        if (!inKeyGroup) {
            throw new IllegalStateException("No key group started");
        }
        data.flush();
        blocks.finish(); // the section's end marker also ends its record list
        inKeyGroup = false;
        nextKeyGroup++;
    }

    /**
     * Completes the stream after every key group of the range was written and returns its handle.
     *
     * @return the handle of the written snapshot
     * @throws IOException when the stream fails
     */
    public KeyGroupsStateHandle finish() throws IOException {
        if (inKeyGroup || nextKeyGroup != range.getEndKeyGroup() + 1) {
            throw new IllegalStateException("Key groups of " + range + " missing; next expected " + nextKeyGroup);
        }
        done = true;
        StreamStateHandle stream = out.closeAndGetHandle();
        return new KeyGroupsStateHandle(new KeyGroupRangeOffsets(range, offsets), stream);
    }

    /** Discards the stream unless {@link #finish()} completed it. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            out.close();
        }
    }
}

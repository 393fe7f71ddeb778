package dev.cairn.changelog.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.time.Duration;

/**
 * The layout of change segments (documented in {@code docs/format.md}). A segment is a sequence of entries:
 *
 * <pre>
 * KEYS   : 0x04, number of key groups (4 bytes), key serializer snapshot      (first entry of every segment;
 *          0x03 in segments written before key groups came from Flink's hash)
 * META   : 0x01, varint state id, kind (0 keyed state, 1 timers), StateMetaInfo, TTL flag [, TTL config]
 * CHANGE : 0x02, varint state id, key group (2 bytes), op, field key, field namespace, varint length, payload
 * field  : varint length, bytes (a serializer's output)
 * </pre>
 *
 * Every segment is self-contained: the META entry of a state precedes its first change in that segment, so a
 * segment can be replayed on its own, after older segments were truncated. Payloads by op: SET a field;
 * CLEAR nothing; LIST_ADD a field; LIST_ADD_ALL and LIST_UPDATE a varint count and fields; MAP_PUT a field (user
 * key), a null flag and a field unless null; MAP_PUT_ALL a varint count of those; MAP_REMOVE a field;
 * TIMER_ADD and TIMER_REMOVE the timestamp (8 bytes); MERGE_NAMESPACES (list state; the change's namespace is the
 * target) a varint count and the source namespaces as fields.
 */
public final class ChangeFormat {
    public static final byte META = 1;
    public static final byte CHANGE = 2;
    /** The KEYS entry of segments whose key groups came from Cairn's earlier hash: replay assigns them again. */
    public static final byte LEGACY_KEYS = 3;
    /** The KEYS entry of segments whose key groups come from Flink's hash. */
    public static final byte KEYS = 4;

    public static final byte KIND_STATE = 0;
    public static final byte KIND_TIMERS = 1;

    public static final byte SET = 1;
    public static final byte CLEAR = 2;
    public static final byte LIST_ADD = 3;
    public static final byte LIST_ADD_ALL = 4;
    public static final byte LIST_UPDATE = 5;
    public static final byte MAP_PUT = 6;
    public static final byte MAP_PUT_ALL = 7;
    public static final byte MAP_REMOVE = 8;
    public static final byte TIMER_ADD = 9;
    public static final byte TIMER_REMOVE = 10;
    public static final byte MERGE_NAMESPACES = 11;

    private ChangeFormat() {}

    /** The body of the KEYS entry that starts every segment. */
    public static byte[] keysEntry(int numberOfKeyGroups, TypeSerializer<?> keySerializer) {
        DataOutputSerializer out = new DataOutputSerializer(64);
        try {
            out.writeInt(numberOfKeyGroups);
            TypeSerializerSnapshot.writeVersionedSnapshot(out, keySerializer.snapshotConfiguration());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode the key serializer " + keySerializer, e);
        }
        return out.toByteArray();
    }

    /** The body of a META entry (after the state id). */
    public static byte[] metaEntry(byte kind, StateMetaInfo meta, StateTtlConfig ttl) {
        DataOutputSerializer out = new DataOutputSerializer(256);
        try {
            out.writeByte(kind);
            meta.write(out);
            out.writeBoolean(ttl != null);
            if (ttl != null) {
                writeTtl(out, ttl);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode the meta information of " + meta, e);
        }
        return out.toByteArray();
    }

    private static void writeTtl(DataOutputSerializer out, StateTtlConfig ttl) throws IOException {
        out.writeLong(ttl.getTtl().toMillis());
        out.writeByte(ttl.getUpdateType().ordinal());
        out.writeByte(ttl.getStateVisibility().ordinal());
        out.writeByte(ttl.getTtlTimeCharacteristic().ordinal());
        StateTtlConfig.CleanupStrategies cleanup = ttl.getCleanupStrategies();
        out.writeBoolean(cleanup.fullSnapshot());
        out.writeInt(cleanup.incrementalCleanupSize());
        out.writeBoolean(cleanup.runCleanupForEveryRecord());
        out.writeLong(cleanup.rocksDbCompactFilterQueryTimeAfterNumEntries());
    }

    /** Reads the TTL configuration written by {@link #metaEntry}. */
    public static StateTtlConfig readTtl(DataInputDeserializer in, String source) throws IOException {
        long millis = in.readLong();
        StateTtlConfig.UpdateType[] updateTypes = StateTtlConfig.UpdateType.values();
        StateTtlConfig.StateVisibility[] visibilities = StateTtlConfig.StateVisibility.values();
        StateTtlConfig.TtlTimeCharacteristic[] characteristics = StateTtlConfig.TtlTimeCharacteristic.values();
        int update = in.readUnsignedByte();
        int visibility = in.readUnsignedByte();
        int characteristic = in.readUnsignedByte();
        if (millis <= 0
                || update >= updateTypes.length
                || visibility >= visibilities.length
                || characteristic >= characteristics.length) {
            throw new CorruptCheckpointException("Invalid TTL configuration in " + source);
        }
        StateTtlConfig.Builder builder = StateTtlConfig.newBuilder(Duration.ofMillis(millis))
                .setUpdateType(updateTypes[update])
                .setStateVisibility(visibilities[visibility])
                .setTtlTimeCharacteristic(characteristics[characteristic])
                .disableCleanupInBackground();
        if (in.readBoolean()) {
            builder.cleanupFullSnapshot();
        }
        int incremental = in.readInt();
        boolean everyRecord = in.readBoolean();
        if (incremental > 0) {
            builder.cleanupIncrementally(incremental, everyRecord);
        }
        long compactFilter = in.readLong();
        if (compactFilter > 0) {
            builder.cleanupInRocksdbCompactFilter(compactFilter);
        }
        return builder.build();
    }

    /** Writes {@code value} as a field, using {@code scratch} to learn its length. */
    public static <T> void writeField(
            DataOutputSerializer out, DataOutputSerializer scratch, TypeSerializer<T> serializer, T value)
            throws IOException {
        scratch.clear();
        serializer.serialize(value, scratch);
        writeField(out, scratch.getSharedBuffer(), 0, scratch.length());
    }

    public static void writeField(DataOutputSerializer out, byte[] bytes, int offset, int length) throws IOException {
        out.writeVarInt(length);
        out.write(bytes, offset, length);
    }

    /** Reads a field's bytes. */
    public static byte[] readField(DataInputDeserializer in) throws IOException {
        byte[] bytes = new byte[in.readVarInt()];
        in.readFully(bytes);
        return bytes;
    }

    /** Reads a field with {@code serializer}, checking that it consumed exactly the field. */
    public static <T> T readField(DataInputDeserializer in, TypeSerializer<T> serializer, String source)
            throws IOException {
        return deserializeExactly(serializer, readField(in), source);
    }

    /**
     * Deserializes {@code bytes[offset, offset + length)} with the reused {@code reader}, failing when the serializer
     * does not consume all of them.
     */
    public static <T> T deserializeExactly(
            TypeSerializer<T> serializer,
            DataInputDeserializer reader,
            byte[] bytes,
            int offset,
            int length,
            String source)
            throws IOException {
        reader.setBuffer(bytes, offset, length);
        T value = serializer.deserialize(reader);
        if (reader.available() != 0) {
            throw new CorruptCheckpointException("A value in " + source + " has " + reader.available()
                    + " bytes more than its serializer " + serializer + " read");
        }
        return value;
    }

    /** Deserializes {@code bytes}, failing when the serializer does not consume all of them. */
    public static <T> T deserializeExactly(TypeSerializer<T> serializer, byte[] bytes, String source)
            throws IOException {
        return deserializeExactly(serializer, new DataInputDeserializer(), bytes, 0, bytes.length, source);
    }
}

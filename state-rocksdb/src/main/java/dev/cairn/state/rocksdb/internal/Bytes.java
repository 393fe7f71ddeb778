package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * Byte-level layout of the RocksDB backend. A state entry's RocksDB key is
 * {@code [key group: 2 bytes][varint len][key bytes][varint len][namespace bytes]} (map entries append the
 * serialized map key): key groups are contiguous, bytewise-ordered ranges, and the lengths make every prefix
 * unambiguous. List values are concatenations of {@code [varint len][element bytes]}, so appending is a RocksDB
 * merge with an empty delimiter. Map values are {@code [null flag][value bytes]}.
 */
final class Bytes {
    static final int KEY_GROUP_BYTES = 2;

    private Bytes() {}

    static void writeKeyGroup(DataOutputSerializer out, int keyGroup) throws IOException {
        out.writeShort(keyGroup);
    }

    static int readKeyGroup(byte[] key) {
        return ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
    }

    static byte[] keyGroupPrefix(int keyGroup) {
        return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
    }

    /** The 8 big-endian bytes at {@code offset} (a TTL timestamp, a timer's sign-flipped timestamp). */
    static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    static void writeVarInt(DataOutputSerializer out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /** Reads a varint at {@code position[0]} and advances it. */
    static int readVarInt(byte[] bytes, int[] position) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = bytes[position[0]++] & 0xFF;
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalStateException("Malformed varint in a RocksDB key or value");
    }

    /** Writes {@code [varint len][bytes]}. */
    static void writeField(DataOutputSerializer out, byte[] bytes, int offset, int length) throws IOException {
        writeVarInt(out, length);
        out.write(bytes, offset, length);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key starting with {@code prefix} (for range deletes and bounds). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null; // all 0xFF: no upper bound
    }

    static <T> byte[] serialize(TypeSerializer<T> serializer, T value, DataOutputSerializer buffer, String stateName) {
        buffer.clear();
        serializeInto(serializer, value, buffer, stateName);
        return buffer.toByteArray();
    }

    /** Serializes {@code value} after what {@code buffer} already holds (no copy: write from its shared buffer). */
    static <T> void serializeInto(
            TypeSerializer<T> serializer, T value, DataOutputSerializer buffer, String stateName) {
        try {
            serializer.serialize(value, buffer);
        } catch (IOException e) {
            throw new StateBackendException(
                    "Cannot serialize a value of state '" + stateName + "' for RocksDB"
                            + " (values and keys are limited to 2^31-1 bytes): " + e.getMessage(),
                    e);
        }
    }

    /**
     * A map value as stored: {@code [1]} for {@code null}, {@code [0][bytes]} otherwise; after what {@code buffer}
     * already holds.
     */
    static <T> void serializeMapValue(
            TypeSerializer<T> serializer, T value, DataOutputSerializer buffer, String stateName) {
        try {
            buffer.writeByte(value == null ? 1 : 0);
        } catch (IOException e) {
            throw new StateBackendException("A value of state '" + stateName + "' is too large", e);
        }
        if (value != null) {
            serializeInto(serializer, value, buffer, stateName);
        }
    }

    static <T> T deserialize(TypeSerializer<T> serializer, byte[] bytes, int offset, int length, String stateName) {
        DataInputDeserializer in = new DataInputDeserializer();
        in.setBuffer(bytes, offset, length);
        try {
            return serializer.deserialize(in);
        } catch (IOException e) {
            throw new StateBackendException(
                    "Cannot deserialize a value of state '" + stateName + "' from RocksDB: " + e.getMessage(), e);
        }
    }

    /** A parsed composite key: where key, namespace and the rest (map key, timer parts) are. */
    record Parsed(
            int keyGroup, int keyOffset, int keyLength, int namespaceOffset, int namespaceLength, int restOffset) {}

    static Parsed parse(byte[] compositeKey) {
        int[] position = {KEY_GROUP_BYTES};
        int keyLength = readVarInt(compositeKey, position);
        int keyOffset = position[0];
        position[0] += keyLength;
        int namespaceLength = readVarInt(compositeKey, position);
        int namespaceOffset = position[0];
        return new Parsed(
                readKeyGroup(compositeKey),
                keyOffset,
                keyLength,
                namespaceOffset,
                namespaceLength,
                namespaceOffset + namespaceLength);
    }
}

package dev.cairn.state.rocksdb.internal;

import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A RocksDB write batch built in a Java array, in RocksDB's own serialized batch format, and handed to RocksDB in
 * one call when it is written.
 *
 * <p>Why: RocksJava's {@link WriteBatch} makes one JNI call per {@code put} (and takes no offset into a reused
 * array, so each call also copies its key and value into a direct buffer or a new array first). A bulk load of
 * small entries — a changelog replay — spent about half its time in those calls. Here a put is a few array writes;
 * the whole batch crosses JNI once ({@link WriteBatch#WriteBatch(byte[])}) and RocksDB inserts it exactly as if it
 * had been built through RocksJava.
 *
 * <p>The format (RocksDB's {@code WriteBatch::rep_}): a 12-byte header — the sequence number (fixed64, little
 * endian, 0 here: RocksDB assigns it when writing) and the record count (fixed32) — then one record per write: a
 * type byte, for a column family other than the default one its id as a varint32, then the key and (for put and
 * merge) the value, each as a varint32 length and the bytes. RocksDB checks the count against the records when it
 * writes the batch, so a malformed batch fails the write instead of corrupting the database; {@code
 * SerializedWriteBatchTest} compares the bytes with RocksJava's own batches, so a format change in a future
 * RocksDB fails the build, not a job.
 *
 * <p>Not thread-safe; one per writer.
 */
final class SerializedWriteBatch {
    private static final int HEADER_BYTES = 12;
    private static final int COUNT_OFFSET = 8;

    // Record types (RocksDB's ValueType): the plain type for the default column family, the column-family type,
    // followed by the family's id, for any other.
    private static final byte TYPE_DELETION = 0x0;
    private static final byte TYPE_VALUE = 0x1;
    private static final byte TYPE_MERGE = 0x2;
    private static final byte TYPE_COLUMN_FAMILY_DELETION = 0x4;
    private static final byte TYPE_COLUMN_FAMILY_VALUE = 0x5;
    private static final byte TYPE_COLUMN_FAMILY_MERGE = 0x6;

    /** A varint32 takes at most five bytes. */
    private static final int MAX_VARINT_BYTES = 5;

    private byte[] buffer;
    private int length = HEADER_BYTES;
    private int count;

    // Asking a handle for its id is a JNI call; writes come in runs of one column family.
    private ColumnFamilyHandle lastColumnFamily;
    private int lastColumnFamilyId;

    SerializedWriteBatch(int initialCapacity) {
        buffer = new byte[Math.max(HEADER_BYTES, initialCapacity)];
    }

    /** Adds a put of {@code value[0, valueLength)} under {@code key[0, keyLength)}. */
    void put(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength) {
        record(columnFamily, TYPE_VALUE, TYPE_COLUMN_FAMILY_VALUE, keyLength + valueLength + 2 * MAX_VARINT_BYTES);
        writeSlice(key, keyLength);
        writeSlice(value, valueLength);
    }

    /** Adds a merge of {@code value[0, valueLength)} into {@code key[0, keyLength)}. */
    void merge(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength) {
        record(columnFamily, TYPE_MERGE, TYPE_COLUMN_FAMILY_MERGE, keyLength + valueLength + 2 * MAX_VARINT_BYTES);
        writeSlice(key, keyLength);
        writeSlice(value, valueLength);
    }

    /** Adds a delete of {@code key[0, keyLength)}. */
    void delete(ColumnFamilyHandle columnFamily, byte[] key, int keyLength) {
        record(columnFamily, TYPE_DELETION, TYPE_COLUMN_FAMILY_DELETION, keyLength + MAX_VARINT_BYTES);
        writeSlice(key, keyLength);
    }

    /** {@return the number of writes added since the last {@link #clear}} */
    int count() {
        return count;
    }

    /** {@return the batch's size in bytes, header included} */
    int sizeInBytes() {
        return length;
    }

    /** {@return the batch in RocksDB's serialized format} */
    byte[] toByteArray() {
        byte[] serialized = Arrays.copyOf(buffer, length);
        writeFixed32(serialized, COUNT_OFFSET, count);
        return serialized;
    }

    /**
     * Writes the batch to {@code db} in one RocksDB write — a batch of one write by the plain call, which costs one
     * JNI call instead of three — and leaves it as it was (see {@link #clear}).
     */
    void writeTo(RocksDB db, WriteOptions options) throws RocksDBException {
        if (count == 1) {
            writeFirst(db, options);
            return;
        }
        try (WriteBatch batch = new WriteBatch(toByteArray())) {
            db.write(options, batch);
        }
    }

    /**
     * Writes the batch's only record by the plain call: its column family is the one used last, its type, key and
     * value are read back from the record.
     */
    private void writeFirst(RocksDB db, WriteOptions options) throws RocksDBException {
        int[] position = {HEADER_BYTES};
        byte type = buffer[position[0]++];
        if (type == TYPE_COLUMN_FAMILY_VALUE
                || type == TYPE_COLUMN_FAMILY_MERGE
                || type == TYPE_COLUMN_FAMILY_DELETION) {
            Bytes.readVarInt(buffer, position); // the column family's id
        }
        int keyLength = Bytes.readVarInt(buffer, position);
        int keyOffset = position[0];
        if (type == TYPE_DELETION || type == TYPE_COLUMN_FAMILY_DELETION) {
            db.delete(lastColumnFamily, options, buffer, keyOffset, keyLength);
            return;
        }
        position[0] += keyLength;
        int valueLength = Bytes.readVarInt(buffer, position);
        int valueOffset = position[0];
        if (type == TYPE_MERGE || type == TYPE_COLUMN_FAMILY_MERGE) {
            db.merge(lastColumnFamily, options, buffer, keyOffset, keyLength, buffer, valueOffset, valueLength);
        } else {
            db.put(lastColumnFamily, options, buffer, keyOffset, keyLength, buffer, valueOffset, valueLength);
        }
    }

    /** Empties the batch, keeping its array for the next writes. */
    void clear() {
        length = HEADER_BYTES;
        count = 0;
    }

    private void record(ColumnFamilyHandle columnFamily, byte defaultType, byte columnFamilyType, int payloadBound) {
        int id = columnFamilyId(columnFamily);
        ensureCapacity(1 + MAX_VARINT_BYTES + payloadBound);
        if (id == 0) {
            buffer[length++] = defaultType;
        } else {
            buffer[length++] = columnFamilyType;
            writeVarint32(id);
        }
        count++;
    }

    private int columnFamilyId(ColumnFamilyHandle columnFamily) {
        if (columnFamily != lastColumnFamily) {
            lastColumnFamilyId = columnFamily.getID();
            lastColumnFamily = columnFamily;
        }
        return lastColumnFamilyId;
    }

    private void writeSlice(byte[] bytes, int bytesLength) {
        writeVarint32(bytesLength);
        System.arraycopy(bytes, 0, buffer, length, bytesLength);
        length += bytesLength;
    }

    private void writeVarint32(int value) {
        // Unsigned LEB128, as RocksDB's PutVarint32: seven bits per byte, the high bit set on all but the last.
        while ((value & ~0x7F) != 0) {
            buffer[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[length++] = (byte) value;
    }

    private static void writeFixed32(byte[] target, int offset, int value) {
        target[offset] = (byte) value;
        target[offset + 1] = (byte) (value >>> 8);
        target[offset + 2] = (byte) (value >>> 16);
        target[offset + 3] = (byte) (value >>> 24);
    }

    private void ensureCapacity(int extra) {
        long needed = (long) length + extra;
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("A write batch cannot grow beyond 2 GiB; write it before adding more");
            }
            buffer =
                    Arrays.copyOf(buffer, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, 2L * buffer.length)));
        }
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * What a RocksDB state object needs of its backend, and nothing more: the database with its read and write
 * options, and the current key as the RocksDB key prefix every entry of that key starts with. The state objects
 * depend on this small object rather than on the whole backend, so they cannot reach snapshots, restores or
 * registration.
 *
 * <p>The prefix is {@code [key group][varint length][key bytes]} ({@link Bytes}), built once per
 * {@link #setCurrentKey} (once per record) and shared by every state access of that record. It is built in one of
 * two reused buffers and they swap on success, so a record allocates nothing and a key that fails to serialize
 * leaves the previous prefix intact.
 *
 * <p>Writes go through {@link #put}, {@link #merge} and {@link #delete}: inside a bulk scope ({@link
 * #beginBulkWrites}, a changelog replay) they are collected in a write batch, which is written when it fills, when
 * the scope ends and before anything reads the database ({@link #db()} writes it first), so reads see every write
 * and the order of writes to one key is kept.
 *
 * @param <K> key type
 */
final class RocksDBStateAccess<K> {
    private final RocksDBInstance instance;
    private final TypeSerializer<K> keySerializer;
    private final String operatorIdentifier;
    private DataOutputSerializer prefix = new DataOutputSerializer(64);
    private DataOutputSerializer nextPrefix = new DataOutputSerializer(64);
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);
    private K currentKey;
    private final RocksDBObjectCache cache;
    private volatile boolean closed;

    /** The writes of the current bulk scope, not yet in RocksDB; {@code null} outside a scope. */
    private WriteBatch pendingWrites;

    private int pendingEntries;
    private long pendingBytes;
    /** Direct buffers for the batch's key and value: RocksJava's batch takes no offset into a reused array. */
    private ByteBuffer directKey;

    private ByteBuffer directValue;

    /**
     * A collected batch is written at this many entries or {@link #BULK_BATCH_BYTES}: large enough that the
     * per-write cost vanishes, small enough that the batch stays in the CPU caches.
     */
    static final int BULK_BATCH_ENTRIES = 4096;

    static final long BULK_BATCH_BYTES = 4L << 20;

    RocksDBStateAccess(
            RocksDBInstance instance,
            TypeSerializer<K> keySerializer,
            String operatorIdentifier,
            RocksDBObjectCache cache) {
        this.instance = instance;
        this.keySerializer = keySerializer;
        this.operatorIdentifier = operatorIdentifier;
        this.cache = cache;
    }

    /** The backend's object cache, or {@code null} when it is off. */
    RocksDBObjectCache cache() {
        return cache;
    }

    /** Serializes the new current key into its prefix; fails before anything changes if the key is too large. */
    void setCurrentKey(K key, int keyGroup) {
        scratch.clear();
        Bytes.serializeInto(keySerializer, key, scratch, "key");
        nextPrefix.clear();
        try {
            Bytes.writeKeyGroup(nextPrefix, keyGroup);
            Bytes.writeField(nextPrefix, scratch.getSharedBuffer(), 0, scratch.length());
        } catch (IOException e) {
            throw new StateBackendException("Key '" + key + "' is too large for RocksDB", e);
        }
        DataOutputSerializer built = nextPrefix;
        nextPrefix = prefix;
        prefix = built;
        currentKey = key;
    }

    /** The current key, or {@code null} before the first {@link #setCurrentKey}. */
    K currentKey() {
        return currentKey;
    }

    /**
     * Appends {@code [key group][varint len][key]} of the current key to {@code out}; fails clearly when none is set
     * or the backend is closed.
     */
    void writeCurrentKeyPrefix(DataOutputSerializer out) throws IOException {
        if (currentKey == null) {
            throw new IllegalStateException(
                    "No current key: call setCurrentKey before accessing keyed state of '" + operatorIdentifier + "'");
        }
        checkOpen();
        out.write(prefix.getSharedBuffer(), 0, prefix.length());
    }

    /** {@return the length of the current key's prefix} */
    int currentKeyPrefixLength() {
        return prefix.length();
    }

    /** The database, for reads (and writes that bypass {@link #put}): collected writes are written first. */
    RocksDB db() {
        checkOpen();
        flushPendingWrites();
        return instance.db;
    }

    /** Starts collecting writes (see the class comment). */
    void beginBulkWrites() {
        checkOpen();
        if (pendingWrites != null) {
            throw new IllegalStateException("A bulk write scope of '" + operatorIdentifier + "' is already open");
        }
        pendingWrites = new WriteBatch();
        directKey = ByteBuffer.allocateDirect(256);
        directValue = ByteBuffer.allocateDirect(256);
    }

    /** Writes what the bulk scope collected and ends it; the batch is freed even if the write fails. */
    void endBulkWrites() {
        try {
            if (!closed) {
                flushPendingWrites();
            }
        } finally {
            if (pendingWrites != null) {
                pendingWrites.close();
            }
            pendingWrites = null;
            directKey = null;
            directValue = null;
        }
    }

    /** Writes the collected writes, if any, in one RocksDB write. */
    void flushPendingWrites() {
        if (pendingWrites == null || pendingEntries == 0) {
            return;
        }
        try {
            instance.db.write(instance.writeOptions, pendingWrites);
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "RocksDB failed to write a batch of " + pendingEntries + " changes of '" + operatorIdentifier
                            + "': " + e.getMessage(),
                    e);
        } finally {
            pendingWrites.clear();
            pendingEntries = 0;
            pendingBytes = 0;
        }
    }

    /** Puts {@code value[0, valueLength)} under {@code key[0, keyLength)}, at once or into the bulk batch. */
    void put(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength)
            throws RocksDBException {
        checkOpen();
        if (pendingWrites == null) {
            instance.db.put(columnFamily, instance.writeOptions, key, 0, keyLength, value, 0, valueLength);
            return;
        }
        directKey = fill(directKey, key, keyLength);
        directValue = fill(directValue, value, valueLength);
        pendingWrites.put(columnFamily, directKey, directValue);
        collected(keyLength + valueLength);
    }

    /** Merges {@code value[0, valueLength)} into {@code key[0, keyLength)}, at once or into the bulk batch. */
    void merge(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength)
            throws RocksDBException {
        checkOpen();
        if (pendingWrites == null) {
            instance.db.merge(columnFamily, instance.writeOptions, key, 0, keyLength, value, 0, valueLength);
            return;
        }
        // RocksJava's batch merges whole arrays only.
        pendingWrites.merge(columnFamily, Arrays.copyOf(key, keyLength), Arrays.copyOf(value, valueLength));
        collected(keyLength + valueLength);
    }

    /** Deletes {@code key[0, keyLength)}, at once or in the bulk batch. */
    void delete(ColumnFamilyHandle columnFamily, byte[] key, int keyLength) throws RocksDBException {
        checkOpen();
        if (pendingWrites == null) {
            instance.db.delete(columnFamily, instance.writeOptions, key, 0, keyLength);
            return;
        }
        directKey = fill(directKey, key, keyLength);
        pendingWrites.delete(columnFamily, directKey);
        collected(keyLength);
    }

    private void collected(int bytes) {
        pendingEntries++;
        pendingBytes += bytes;
        if (pendingEntries >= BULK_BATCH_ENTRIES || pendingBytes >= BULK_BATCH_BYTES) {
            flushPendingWrites();
        }
    }

    /** {@code bytes[0, length)} in {@code buffer}, or in a larger direct buffer if it does not fit. */
    private static ByteBuffer fill(ByteBuffer buffer, byte[] bytes, int length) {
        ByteBuffer target = buffer.capacity() >= length
                ? buffer
                : ByteBuffer.allocateDirect(Math.max(length, buffer.capacity() * 2));
        target.clear();
        target.put(bytes, 0, length).flip();
        return target;
    }

    ReadOptions readOptions() {
        return instance.readOptions;
    }

    WriteOptions writeOptions() {
        return instance.writeOptions;
    }

    /** From now on every access fails with a clear error instead of touching freed native memory. */
    void close() {
        closed = true;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The RocksDB backend of '" + operatorIdentifier + "' is closed");
        }
    }
}

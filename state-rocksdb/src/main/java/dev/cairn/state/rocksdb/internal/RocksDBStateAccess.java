package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
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
 * <p>Writes go through {@link #put}, {@link #merge} and {@link #delete} and are collected in a write batch built in
 * Java ({@link SerializedWriteBatch}), which is written when it fills ({@link #BULK_BATCH_ENTRIES} writes or
 * {@link #BULK_BATCH_BYTES}), before anything reads the database ({@link #db()} writes it first; the backend writes
 * it before its own reads and a snapshot's synchronous part) and at the end of a bulk scope. Reads therefore see
 * every write, the order of writes to one key is kept, and a run of writes without reads in between (appends to
 * lists, blind updates, a changelog replay) costs one RocksDB write per batch instead of one per write: RocksDB's
 * per-write work (the write path's queue and sequence numbers, one JNI call) is paid once. A batch of one write is
 * written by the plain call, so a read-modify-write per record costs what it did without the batch. A failing
 * RocksDB write is reported when the batch is written, naming the state's backend.
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

    /** Writes not yet in RocksDB. */
    private final SerializedWriteBatch pendingWrites = new SerializedWriteBatch(4096);

    /** Whether a bulk scope ({@link #beginBulkWrites}) is open. */
    private boolean bulkScope;

    /**
     * A collected batch is written at this many entries or {@link #BULK_BATCH_BYTES}: large enough that the
     * per-write cost vanishes, small enough that the batch stays in the CPU caches and that RocksDB's write buffer
     * manager, which checks the memory budget once per write, overshoots it by little.
     */
    static final int BULK_BATCH_ENTRIES = 4096;

    static final long BULK_BATCH_BYTES = 256L << 10;

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

    /**
     * Opens a bulk scope: writes are collected as always (see the class comment); the scope's end writes them. One
     * scope at a time.
     */
    void beginBulkWrites() {
        checkOpen();
        if (bulkScope) {
            throw new IllegalStateException("A bulk write scope of '" + operatorIdentifier + "' is already open");
        }
        bulkScope = true;
    }

    /** Writes what was collected and ends the bulk scope, even if the write fails. */
    void endBulkWrites() {
        try {
            if (!closed) {
                flushPendingWrites();
            }
        } finally {
            bulkScope = false;
        }
    }

    /** Writes the collected writes, if any, in one RocksDB write. */
    void flushPendingWrites() {
        if (pendingWrites.count() == 0) {
            return;
        }
        try {
            pendingWrites.writeTo(instance.db, instance.writeOptions);
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "RocksDB failed to write a batch of " + pendingWrites.count() + " changes of '" + operatorIdentifier
                            + "': " + e.getMessage(),
                    e);
        } finally {
            pendingWrites.clear();
        }
    }

    /** Puts {@code value[0, valueLength)} under {@code key[0, keyLength)} (collected: see the class comment). */
    void put(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength)
            throws RocksDBException {
        checkOpen();
        pendingWrites.put(columnFamily, key, keyLength, value, valueLength);
        collected();
    }

    /** Merges {@code value[0, valueLength)} into {@code key[0, keyLength)} (collected: see the class comment). */
    void merge(ColumnFamilyHandle columnFamily, byte[] key, int keyLength, byte[] value, int valueLength)
            throws RocksDBException {
        checkOpen();
        pendingWrites.merge(columnFamily, key, keyLength, value, valueLength);
        collected();
    }

    /** Deletes {@code key[0, keyLength)} (collected: see the class comment). */
    void delete(ColumnFamilyHandle columnFamily, byte[] key, int keyLength) throws RocksDBException {
        checkOpen();
        pendingWrites.delete(columnFamily, key, keyLength);
        collected();
    }

    private void collected() {
        if (pendingWrites.count() >= BULK_BATCH_ENTRIES || pendingWrites.sizeInBytes() >= BULK_BATCH_BYTES) {
            flushPendingWrites();
        }
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

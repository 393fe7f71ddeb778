package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
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

    RocksDB db() {
        checkOpen();
        return instance.db;
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

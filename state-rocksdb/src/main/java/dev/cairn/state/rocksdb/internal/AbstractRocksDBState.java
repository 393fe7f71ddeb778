package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.io.IOException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * Base of the RocksDB state objects: builds the current entry's RocksDB key from the backend's current key
 * prefix and the state's namespace (whose bytes are cached until the namespace changes).
 */
abstract class AbstractRocksDBState<K, N> implements InternalKvState<N> {
    protected final RocksDBStateAccess<K> access;
    protected final RegisteredState<ColumnFamilyHandle> state;
    protected final DataOutputSerializer keyBuffer = new DataOutputSerializer(64);
    protected final DataOutputSerializer valueBuffer = new DataOutputSerializer(64);
    /** Where {@link #readCurrent} puts the value read: grown to the largest value, never allocated per read. */
    private byte[] readBuffer = new byte[64];

    private final DataInputDeserializer reader = new DataInputDeserializer();
    private N namespace;
    private byte[] namespaceBytes;

    AbstractRocksDBState(RocksDBStateAccess<K> access, RegisteredState<ColumnFamilyHandle> state) {
        this.access = access;
        this.state = state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void setCurrentNamespace(N newNamespace) {
        if (newNamespace == null) {
            throw new NullPointerException("The namespace of state '" + state.name() + "' must not be null");
        }
        if (!newNamespace.equals(namespace)) {
            namespace = newNamespace;
            namespaceBytes = Bytes.serialize(
                    (TypeSerializer<N>) state.namespaceSerializer(), newNamespace, valueBuffer, state.name());
        }
    }

    /** {@code [current key prefix][varint len][namespace]} in {@link #keyBuffer}; returns a copy. */
    protected byte[] entryKey() {
        prepareEntryKey();
        return keyBuffer.toByteArray();
    }

    /** The entry key of the current key in {@code other} namespace (for merging); the current namespace stays. */
    @SuppressWarnings("unchecked")
    protected byte[] entryKeyIn(N other) {
        byte[] otherBytes =
                Bytes.serialize((TypeSerializer<N>) state.namespaceSerializer(), other, valueBuffer, state.name());
        DataOutputSerializer key = new DataOutputSerializer(access.currentKeyPrefixLength() + otherBytes.length + 5);
        try {
            access.writeCurrentKeyPrefix(key);
            Bytes.writeField(key, otherBytes, 0, otherBytes.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot build the RocksDB key of state '" + state.name() + "'", e);
        }
        return key.toByteArray();
    }

    /** Leaves the entry key in {@link #keyBuffer} so that map states can append a map key. */
    protected void prepareEntryKey() {
        keyBuffer.clear();
        try {
            access.writeCurrentKeyPrefix(keyBuffer);
            Bytes.writeField(keyBuffer, namespaceBytes, 0, namespaceBytes.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot build the RocksDB key of state '" + state.name() + "'", e);
        }
    }

    /**
     * The object cache's handle of this state, or {@code null} when the backend has no cache or the state has TTL:
     * TTL cleanup deletes expired entries in RocksDB directly, which a cached copy would outlive.
     */
    protected RocksDBObjectCache.Owner cacheOwner() {
        RocksDBObjectCache cache = access.cache();
        return cache == null || state.ttlConfig() != null ? null : cache.owner(state);
    }

    /** The cached value under the key in {@link #keyBuffer}: an object, {@link RocksDBObjectCache#ABSENT} or MISS. */
    protected Object cacheLookup(RocksDBObjectCache.Owner owner) {
        return access.cache().get(owner, keyBuffer.getSharedBuffer(), keyBuffer.length());
    }

    /**
     * Caches {@code value} under the key in {@link #keyBuffer} (see {@link RocksDBObjectCache#put}).
     *
     * @return {@code false} when the key is not admitted: a dirty value must then be written to RocksDB
     */
    protected boolean cacheStore(RocksDBObjectCache.Owner owner, Object value, boolean dirty, int valueBytes) {
        return access.cache().put(owner, keyBuffer.getSharedBuffer(), keyBuffer.length(), value, dirty, valueBytes);
    }

    protected StateBackendException failure(RocksDBException e) {
        return new StateBackendException("RocksDB failed on state '" + state.name() + "': " + e.getMessage(), e);
    }

    /**
     * Reads the value under the key in {@link #keyBuffer} (see {@link #prepareEntryKey}) into a reused buffer, without
     * copying the key or allocating the value: RocksDB's offset variant of {@code get}.
     *
     * @return the value's length, its bytes at the start of {@link #readBuffer()}; -1 when there is none
     */
    protected int readCurrentBytes() {
        try {
            byte[] key = keyBuffer.getSharedBuffer();
            int keyLength = keyBuffer.length();
            int size = access.db()
                    .get(state.storage(), access.readOptions(), key, 0, keyLength, readBuffer, 0, readBuffer.length);
            if (size > readBuffer.length) {
                readBuffer = new byte[Math.max(size, readBuffer.length * 2)];
                size = access.db()
                        .get(
                                state.storage(),
                                access.readOptions(),
                                key,
                                0,
                                keyLength,
                                readBuffer,
                                0,
                                readBuffer.length);
            }
            return size == org.rocksdb.RocksDB.NOT_FOUND ? -1 : size;
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    /** {@return the buffer {@link #readCurrentBytes} reads into (valid until the next read)} */
    protected byte[] readBuffer() {
        return readBuffer;
    }

    /** Deserializes {@code readBuffer()[offset, offset + length)}. */
    protected <T> T decodeRead(TypeSerializer<T> serializer, int offset, int length) {
        reader.setBuffer(readBuffer, offset, length);
        try {
            return serializer.deserialize(reader);
        } catch (IOException e) {
            throw new StateBackendException(
                    "Cannot deserialize a value of state '" + state.name() + "' from RocksDB: " + e.getMessage(), e);
        }
    }

    /** The value under the key in {@link #keyBuffer}, or {@code null}: {@link #readCurrentBytes} then decoded. */
    protected <T> T readCurrent(TypeSerializer<T> serializer) {
        int size = readCurrentBytes();
        return size < 0 ? null : decodeRead(serializer, 0, size);
    }

    /** Writes {@link #valueBuffer}'s content under the key in {@link #keyBuffer}, from the shared buffers. */
    protected void writeCurrent() {
        try {
            access.put(
                    state.storage(),
                    keyBuffer.getSharedBuffer(),
                    keyBuffer.length(),
                    valueBuffer.getSharedBuffer(),
                    valueBuffer.length());
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    protected byte[] get(byte[] key) {
        try {
            return access.db().get(state.storage(), access.readOptions(), key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    protected void put(byte[] key, byte[] value) {
        try {
            access.put(state.storage(), key, key.length, value, value.length);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    protected void delete(byte[] key) {
        try {
            access.delete(state.storage(), key, key.length);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public void clear() {
        delete(entryKey());
    }
}

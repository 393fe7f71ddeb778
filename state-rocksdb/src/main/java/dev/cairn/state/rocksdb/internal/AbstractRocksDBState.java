package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
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
        byte[] prefix = access.currentKeyPrefix();
        DataOutputSerializer key = new DataOutputSerializer(prefix.length + otherBytes.length + 5);
        try {
            key.write(prefix);
            Bytes.writeField(key, otherBytes, 0, otherBytes.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot build the RocksDB key of state '" + state.name() + "'", e);
        }
        return key.toByteArray();
    }

    /** Leaves the entry key in {@link #keyBuffer} so that map states can append a map key. */
    protected void prepareEntryKey() {
        byte[] prefix = access.currentKeyPrefix();
        keyBuffer.clear();
        try {
            keyBuffer.write(prefix);
            Bytes.writeField(keyBuffer, namespaceBytes, 0, namespaceBytes.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot build the RocksDB key of state '" + state.name() + "'", e);
        }
    }

    protected StateBackendException failure(RocksDBException e) {
        return new StateBackendException("RocksDB failed on state '" + state.name() + "': " + e.getMessage(), e);
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
            access.db().put(state.storage(), access.writeOptions(), key, value);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    protected void delete(byte[] key) {
        try {
            access.db().delete(state.storage(), access.writeOptions(), key);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    @Override
    public void clear() {
        delete(entryKey());
    }
}

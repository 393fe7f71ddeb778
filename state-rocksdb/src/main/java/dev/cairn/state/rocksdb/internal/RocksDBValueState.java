package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.support.RegisteredState;
import org.rocksdb.ColumnFamilyHandle;

/**
 * A value per (key, namespace) under one RocksDB key. With the object cache ({@link RocksDBObjectCache}) a read is
 * answered from the cache when it can be and an update only replaces the cached object, written back later.
 */
final class RocksDBValueState<K, N, V> extends AbstractRocksDBState<K, N> implements ValueState<V> {
    private final ValueStateDescriptor<V> descriptor;
    /** The cache's handle of this state, or {@code null} when not cached (no cache, or TTL state). */
    private final RocksDBObjectCache.Owner cached;

    RocksDBValueState(
            RocksDBStateAccess<K> access,
            RegisteredState<ColumnFamilyHandle> state,
            ValueStateDescriptor<V> descriptor) {
        super(access, state);
        this.descriptor = descriptor;
        this.cached = cacheOwner();
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<V> serializer() {
        return (TypeSerializer<V>) state.valueSerializers().get(0);
    }

    /** A point lookup into reused buffers: no key copy, no value array. */
    @Override
    @SuppressWarnings("unchecked")
    public V value() {
        prepareEntryKey();
        if (cached == null) {
            V value = readCurrent(serializer());
            return value == null ? descriptor.getDefaultValue() : value;
        }
        Object value = cachedValue(cached);
        return value == RocksDBObjectCache.ABSENT
                ? descriptor.getDefaultValue()
                : serializer().copy((V) value);
    }

    /** Serialized into the value buffer and written from the shared buffers: no per-call arrays. */
    @Override
    public void update(V value) {
        if (value == null) {
            clear();
            return;
        }
        if (cached != null) {
            prepareEntryKey();
            cacheWrite(cached, serializer().copy(value));
            return;
        }
        valueBuffer.clear();
        Bytes.serializeInto(serializer(), value, valueBuffer, state.name());
        prepareEntryKey();
        writeCurrent();
    }

    /** The value under the entry key: cached, or read from RocksDB and cached clean. */
    private Object cachedValue(RocksDBObjectCache.Owner owner) {
        Object value = cacheLookup(owner);
        if (value == RocksDBObjectCache.MISS) {
            int size = readCurrentBytes();
            value = size < 0 ? RocksDBObjectCache.ABSENT : decodeRead(serializer(), 0, size);
            cacheStore(owner, value, false, Math.max(size, 0));
        }
        return value;
    }

    /**
     * Replaces the cached value (or marks it deleted); RocksDB gets it when it is evicted or flushed. A key the
     * cache does not admit is written to RocksDB at once.
     */
    @SuppressWarnings("unchecked")
    private void cacheWrite(RocksDBObjectCache.Owner owner, Object value) {
        int measured = -1;
        if (value == RocksDBObjectCache.ABSENT) {
            measured = 0;
        } else if (owner.measureThisWrite()) {
            valueBuffer.clear();
            Bytes.serializeInto(serializer(), (V) value, valueBuffer, state.name());
            measured = valueBuffer.length();
        }
        if (cacheStore(owner, value, true, measured)) {
            return;
        }
        // Not admitted (first use of the key lately): as without the cache.
        if (value == RocksDBObjectCache.ABSENT) {
            super.clear();
            return;
        }
        if (measured < 0) {
            valueBuffer.clear();
            Bytes.serializeInto(serializer(), (V) value, valueBuffer, state.name());
        }
        writeCurrent();
    }

    @Override
    public void clear() {
        if (cached == null) {
            super.clear();
            return;
        }
        prepareEntryKey();
        cacheWrite(cached, RocksDBObjectCache.ABSENT);
    }
}

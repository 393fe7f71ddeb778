package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.support.RegisteredState;
import org.rocksdb.ColumnFamilyHandle;

final class RocksDBValueState<K, N, V> extends AbstractRocksDBState<K, N> implements ValueState<V> {
    private final ValueStateDescriptor<V> descriptor;

    RocksDBValueState(
            RocksDBStateAccess<K> access,
            RegisteredState<ColumnFamilyHandle> state,
            ValueStateDescriptor<V> descriptor) {
        super(access, state);
        this.descriptor = descriptor;
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<V> serializer() {
        return (TypeSerializer<V>) state.valueSerializers().get(0);
    }

    /** A point lookup into reused buffers: no key copy, no value array. */
    @Override
    public V value() {
        prepareEntryKey();
        V value = readCurrent(serializer());
        return value == null ? descriptor.getDefaultValue() : value;
    }

    /** Serialized into the value buffer and written from the shared buffers: no per-call arrays. */
    @Override
    public void update(V value) {
        if (value == null) {
            clear();
            return;
        }
        valueBuffer.clear();
        Bytes.serializeInto(serializer(), value, valueBuffer, state.name());
        prepareEntryKey();
        writeCurrent();
    }
}

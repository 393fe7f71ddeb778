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

    @Override
    public V value() {
        byte[] bytes = get(entryKey());
        return bytes == null
                ? descriptor.getDefaultValue()
                : Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name());
    }

    @Override
    public void update(V value) {
        if (value == null) {
            clear();
        } else {
            put(entryKey(), Bytes.serialize(serializer(), value, valueBuffer, state.name()));
        }
    }
}

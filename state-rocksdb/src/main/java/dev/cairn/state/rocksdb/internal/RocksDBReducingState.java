package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;

final class RocksDBReducingState<K, N, T> extends AbstractRocksDBState<K, N>
        implements ReducingState<T>, InternalAppendingState<T> {
    private final ReduceFunction<T> reduceFunction;

    RocksDBReducingState(
            RocksDBKeyedStateBackend<K> backend, ColumnFamilyState state, ReduceFunction<T> reduceFunction) {
        super(backend, state);
        this.reduceFunction = reduceFunction;
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<T> serializer() {
        return (TypeSerializer<T>) state.valueSerializers.get(0);
    }

    @Override
    public T get() {
        byte[] bytes = get(entryKey());
        return bytes == null ? null : Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name);
    }

    @Override
    public void add(T value) {
        if (value == null) {
            clear();
            return;
        }
        byte[] key = entryKey();
        byte[] current = get(key);
        T reduced = current == null
                ? value
                : reduceFunction.reduce(Bytes.deserialize(serializer(), current, 0, current.length, state.name), value);
        put(key, Bytes.serialize(serializer(), reduced, valueBuffer, state.name));
    }

    @Override
    public T getInternal() {
        byte[] bytes = get(entryKey());
        return bytes == null ? null : Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name);
    }

    @Override
    public void updateInternal(T value) {
        if (value == null) {
            clear();
        } else {
            put(entryKey(), Bytes.serialize(serializer(), value, valueBuffer, state.name));
        }
    }
}

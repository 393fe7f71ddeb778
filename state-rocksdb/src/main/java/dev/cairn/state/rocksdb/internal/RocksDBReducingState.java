package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.support.RegisteredState;
import org.rocksdb.ColumnFamilyHandle;

final class RocksDBReducingState<K, N, T> extends AbstractRocksDBAppendingState<K, N, T> implements ReducingState<T> {
    private final ReduceFunction<T> reduceFunction;

    RocksDBReducingState(
            RocksDBStateAccess<K> access, RegisteredState<ColumnFamilyHandle> state, ReduceFunction<T> reduceFunction) {
        super(access, state);
        this.reduceFunction = reduceFunction;
    }

    @Override
    public T get() {
        return getInternal();
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
                : reduceFunction.reduce(
                        Bytes.deserialize(serializer(), current, 0, current.length, state.name()), value);
        put(key, Bytes.serialize(serializer(), reduced, valueBuffer, state.name()));
    }

    @Override
    protected T mergeState(T a, T b) {
        return reduceFunction.reduce(a, b);
    }
}

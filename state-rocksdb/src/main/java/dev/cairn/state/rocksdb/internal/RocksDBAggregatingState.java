package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.support.RegisteredState;
import org.rocksdb.ColumnFamilyHandle;

final class RocksDBAggregatingState<K, N, IN, ACC, OUT> extends AbstractRocksDBAppendingState<K, N, ACC>
        implements AggregatingState<IN, OUT> {
    private final AggregateFunction<IN, ACC, OUT> function;

    RocksDBAggregatingState(
            RocksDBStateAccess<K> access,
            RegisteredState<ColumnFamilyHandle> state,
            AggregateFunction<IN, ACC, OUT> function) {
        super(access, state);
        this.function = function;
    }

    @Override
    public OUT get() {
        ACC accumulator = getInternal();
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        if (value == null) {
            clear();
            return;
        }
        byte[] key = entryKey();
        byte[] current = get(key);
        ACC accumulator = current == null
                ? function.createAccumulator()
                : Bytes.deserialize(serializer(), current, 0, current.length, state.name());
        put(key, Bytes.serialize(serializer(), function.add(value, accumulator), valueBuffer, state.name()));
    }

    @Override
    protected ACC mergeState(ACC a, ACC b) {
        return function.merge(a, b);
    }
}

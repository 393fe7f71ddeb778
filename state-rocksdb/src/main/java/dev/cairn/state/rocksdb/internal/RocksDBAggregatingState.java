package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;

final class RocksDBAggregatingState<K, N, IN, ACC, OUT> extends AbstractRocksDBState<K, N>
        implements AggregatingState<IN, OUT>, InternalAppendingState<ACC> {
    private final AggregateFunction<IN, ACC, OUT> function;

    RocksDBAggregatingState(
            RocksDBKeyedStateBackend<K> backend, ColumnFamilyState state, AggregateFunction<IN, ACC, OUT> function) {
        super(backend, state);
        this.function = function;
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<ACC> serializer() {
        return (TypeSerializer<ACC>) state.valueSerializers.get(0);
    }

    @Override
    public OUT get() {
        byte[] bytes = get(entryKey());
        return bytes == null
                ? null
                : function.getResult(Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name));
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
                : Bytes.deserialize(serializer(), current, 0, current.length, state.name);
        put(key, Bytes.serialize(serializer(), function.add(value, accumulator), valueBuffer, state.name));
    }

    @Override
    public ACC getInternal() {
        byte[] bytes = get(entryKey());
        return bytes == null ? null : Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name);
    }

    @Override
    public void updateInternal(ACC value) {
        if (value == null) {
            clear();
        } else {
            put(entryKey(), Bytes.serialize(serializer(), value, valueBuffer, state.name));
        }
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.spi.InternalAppendingState;

final class HeapAggregatingState<K, N, IN, ACC, OUT> extends AbstractHeapMergingState<K, N, ACC>
        implements AggregatingState<IN, OUT>, InternalAppendingState<ACC> {
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    HeapAggregatingState(
            HeapKeyedStateBackend<K> backend,
            StateTable<K, N, ACC> table,
            AggregateFunction<IN, ACC, OUT> aggregateFunction) {
        super(backend, table);
        this.aggregateFunction = aggregateFunction;
    }

    @Override
    public OUT get() {
        ACC accumulator = getInternal();
        return accumulator == null ? null : aggregateFunction.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        if (value == null) {
            clear();
            return;
        }
        ACC accumulator = getInternal();
        if (accumulator == null) {
            accumulator = aggregateFunction.createAccumulator();
        }
        putInternal(aggregateFunction.add(value, accumulator));
    }

    @Override
    protected ACC mergeState(ACC a, ACC b) {
        return aggregateFunction.merge(a, b);
    }

    @Override
    public ACC getInternal() {
        return super.getInternal();
    }

    @Override
    public void updateInternal(ACC value) {
        if (value == null) {
            clear();
        } else {
            putInternal(value);
        }
    }
}

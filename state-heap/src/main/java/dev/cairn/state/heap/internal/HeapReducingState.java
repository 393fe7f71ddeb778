package dev.cairn.state.heap.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.spi.InternalAppendingState;

final class HeapReducingState<K, N, T> extends AbstractHeapMergingState<K, N, T>
        implements ReducingState<T>, InternalAppendingState<T> {
    private final ReduceFunction<T> reduceFunction;

    HeapReducingState(HeapKeyedStateBackend<K> backend, StateTable<K, N, T> table, ReduceFunction<T> reduceFunction) {
        super(backend, table);
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
        T current = getInternal();
        putInternal(current == null ? value : reduceFunction.reduce(current, value));
    }

    @Override
    protected T mergeState(T a, T b) {
        return reduceFunction.reduce(a, b);
    }

    @Override
    public T getInternal() {
        return super.getInternal();
    }

    @Override
    public void updateInternal(T value) {
        if (value == null) {
            clear();
        } else {
            putInternal(value);
        }
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;

final class HeapReducingState<K, N, T> extends AbstractHeapState<K, N, T> implements ReducingState<T> {
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
}

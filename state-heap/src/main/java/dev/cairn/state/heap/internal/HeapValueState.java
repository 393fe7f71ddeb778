package dev.cairn.state.heap.internal;

import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;

final class HeapValueState<K, N, V> extends AbstractHeapState<K, N, V> implements ValueState<V> {
    private final ValueStateDescriptor<V> descriptor;

    HeapValueState(HeapKeyedStateBackend<K> backend, StateTable<K, N, V> table, ValueStateDescriptor<V> descriptor) {
        super(backend, table);
        this.descriptor = descriptor;
    }

    @Override
    public V value() {
        V value = getInternal();
        return value != null ? value : descriptor.getDefaultValue();
    }

    @Override
    public void update(V value) {
        if (value == null) {
            clear();
        } else {
            putInternal(value);
        }
    }
}

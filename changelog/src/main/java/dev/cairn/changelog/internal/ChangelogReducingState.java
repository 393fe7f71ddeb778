package dev.cairn.changelog.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;

/**
 * Reduces with the application's function over the wrapped state's stored value and records the result as SET:
 * replaying needs no function.
 */
public final class ChangelogReducingState<N, T> extends AbstractChangelogAppendingState<N, T>
        implements ReducingState<T> {
    private final ReduceFunction<T> function;

    public ChangelogReducingState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            ReduceFunction<T> function,
            TypeSerializer<T> serializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, serializer, inner);
        this.function = function;
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
        updateInternal(current == null ? value : function.reduce(current, value));
    }
}

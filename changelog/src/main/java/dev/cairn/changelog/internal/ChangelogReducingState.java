package dev.cairn.changelog.internal;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.State;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;

/**
 * Reduces with the application's function over the wrapped state's stored value and records the result as SET:
 * replaying needs no function, and the wrapped state's own function (a placeholder after a replay) is never used.
 */
public final class ChangelogReducingState<N, T> extends AbstractChangelogState<N, State> implements ReducingState<T> {
    private final ReduceFunction<T> function;
    private final TypeSerializer<T> serializer;

    public ChangelogReducingState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            ReduceFunction<T> function,
            TypeSerializer<T> serializer) {
        super(context, stateId, namespaceSerializer);
        this.function = function;
        this.serializer = serializer;
    }

    @SuppressWarnings("unchecked")
    private InternalAppendingState<T> stored() {
        return (InternalAppendingState<T>) inner;
    }

    @Override
    public T get() {
        return stored().getInternal();
    }

    @Override
    public void add(T value) {
        if (value == null) {
            clear();
            return;
        }
        T current = stored().getInternal();
        T reduced = current == null ? value : function.reduce(current, value);
        stored().updateInternal(reduced);
        payload();
        writeField(serializer, reduced);
        record(ChangeFormat.SET);
    }
}

package dev.cairn.state.internal.ttl;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.ValueState;
import dev.cairn.state.spi.TtlValue;

/** {@link ReducingState} with TTL over an internal value state; an expired value restarts the reduction. */
public final class TtlReducingState<T> implements ReducingState<T> {
    private final TtlValueState<T> value;
    private final ValueState<TtlValue<T>> internal;
    private final ReduceFunction<T> reduceFunction;
    private final TtlContext ttl;

    public TtlReducingState(ValueState<TtlValue<T>> internal, TtlContext ttl, ReduceFunction<T> reduceFunction) {
        this.value = new TtlValueState<>(internal, ttl, () -> null);
        this.internal = internal;
        this.reduceFunction = reduceFunction;
        this.ttl = ttl;
    }

    @Override
    public T get() {
        return value.value();
    }

    @Override
    public void add(T added) {
        ttl.accessed();
        if (added == null) {
            internal.clear();
            return;
        }
        TtlValue<T> stored = internal.value();
        T current = stored == null || ttl.expired(stored) ? null : stored.userValue();
        internal.update(ttl.wrap(current == null ? added : reduceFunction.reduce(current, added)));
    }

    @Override
    public void clear() {
        internal.clear();
    }
}

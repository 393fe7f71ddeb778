package dev.cairn.state.internal.ttl;

import dev.cairn.state.ValueState;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.support.TtlValue;
import java.util.function.Supplier;

/**
 * {@link ValueState} with TTL over an internal value state of {@link TtlValue}s. Unlike Flink (which ignores a
 * descriptor's default value under TTL), a missing or invisible value reads as the descriptor's default.
 */
public final class TtlValueState<N, T> implements ValueState<T>, InternalKvState<N> {
    private final TtlInternal<N, ValueState<TtlValue<T>>> internal;
    private final TtlContext ttl;
    private final Supplier<T> defaultValue;

    public TtlValueState(Object internal, TtlContext ttl, Supplier<T> defaultValue) {
        this.internal = new TtlInternal<>(internal);
        this.ttl = ttl;
        this.defaultValue = defaultValue;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        internal.kv().setCurrentNamespace(namespace);
    }

    @Override
    public T value() {
        ttl.accessed();
        ValueState<TtlValue<T>> state = internal.state();
        TtlValue<T> visible = ttl.checkOnRead(state.value(), state::clear, state::update);
        return visible == null ? defaultValue.get() : visible.userValue();
    }

    @Override
    public void update(T value) {
        ttl.accessed();
        if (value == null) {
            internal.state().clear();
        } else {
            internal.state().update(ttl.wrap(value));
        }
    }

    @Override
    public void clear() {
        internal.state().clear();
    }
}

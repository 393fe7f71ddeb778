package dev.cairn.state.internal.ttl;

import dev.cairn.state.ValueState;
import dev.cairn.state.spi.TtlValue;
import java.util.function.Supplier;

/** {@link ValueState} with TTL over an internal value state of {@link TtlValue}s. */
public final class TtlValueState<T> implements ValueState<T> {
    private final ValueState<TtlValue<T>> internal;
    private final TtlContext ttl;
    private final Supplier<T> defaultValue;

    public TtlValueState(ValueState<TtlValue<T>> internal, TtlContext ttl, Supplier<T> defaultValue) {
        this.internal = internal;
        this.ttl = ttl;
        this.defaultValue = defaultValue;
    }

    @Override
    public T value() {
        ttl.accessed();
        TtlValue<T> stored = internal.value();
        if (stored == null) {
            return defaultValue.get();
        }
        if (ttl.expired(stored)) {
            if (ttl.returnExpired()) {
                return stored.userValue();
            }
            internal.clear();
            return defaultValue.get();
        }
        if (ttl.updateOnRead()) {
            internal.update(ttl.wrap(stored.userValue()));
        }
        return stored.userValue();
    }

    @Override
    public void update(T value) {
        ttl.accessed();
        if (value == null) {
            internal.clear();
        } else {
            internal.update(ttl.wrap(value));
        }
    }

    @Override
    public void clear() {
        internal.clear();
    }
}

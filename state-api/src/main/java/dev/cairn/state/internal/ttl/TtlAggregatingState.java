package dev.cairn.state.internal.ttl;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.ValueState;
import dev.cairn.state.spi.TtlValue;

/** {@link AggregatingState} with TTL on the accumulator; an expired accumulator restarts the aggregation. */
public final class TtlAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
    private final TtlValueState<ACC> accumulator;
    private final ValueState<TtlValue<ACC>> internal;
    private final AggregateFunction<IN, ACC, OUT> function;
    private final TtlContext ttl;

    public TtlAggregatingState(
            ValueState<TtlValue<ACC>> internal, TtlContext ttl, AggregateFunction<IN, ACC, OUT> function) {
        this.accumulator = new TtlValueState<>(internal, ttl, () -> null);
        this.internal = internal;
        this.function = function;
        this.ttl = ttl;
    }

    @Override
    public OUT get() {
        ACC current = accumulator.value();
        return current == null ? null : function.getResult(current);
    }

    @Override
    public void add(IN value) {
        ttl.accessed();
        if (value == null) {
            internal.clear();
            return;
        }
        TtlValue<ACC> stored = internal.value();
        ACC current = stored == null || ttl.expired(stored) ? function.createAccumulator() : stored.userValue();
        internal.update(ttl.wrap(function.add(value, current)));
    }

    @Override
    public void clear() {
        internal.clear();
    }
}

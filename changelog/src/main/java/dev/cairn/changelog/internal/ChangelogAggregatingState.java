package dev.cairn.changelog.internal;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;

/** Aggregates with the application's function and records the new accumulator as SET (see the reducing state). */
public final class ChangelogAggregatingState<N, IN, ACC, OUT> extends AbstractChangelogAppendingState<N, ACC>
        implements AggregatingState<IN, OUT> {
    private final AggregateFunction<IN, ACC, OUT> function;

    public ChangelogAggregatingState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            AggregateFunction<IN, ACC, OUT> function,
            TypeSerializer<ACC> accumulatorSerializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, accumulatorSerializer, inner);
        this.function = function;
    }

    @Override
    public OUT get() {
        ACC accumulator = getInternal();
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        if (value == null) {
            clear();
            return;
        }
        ACC accumulator = getInternal();
        updateInternal(function.add(value, accumulator == null ? function.createAccumulator() : accumulator));
    }
}

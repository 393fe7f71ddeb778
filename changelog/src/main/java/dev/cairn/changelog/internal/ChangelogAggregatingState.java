package dev.cairn.changelog.internal;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.State;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;

/** Aggregates with the application's function and records the new accumulator as SET (see the reducing state). */
public final class ChangelogAggregatingState<N, IN, ACC, OUT> extends AbstractChangelogState<N, State>
        implements AggregatingState<IN, OUT> {
    private final AggregateFunction<IN, ACC, OUT> function;
    private final TypeSerializer<ACC> accumulatorSerializer;

    public ChangelogAggregatingState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            AggregateFunction<IN, ACC, OUT> function,
            TypeSerializer<ACC> accumulatorSerializer) {
        super(context, stateId, namespaceSerializer);
        this.function = function;
        this.accumulatorSerializer = accumulatorSerializer;
    }

    @SuppressWarnings("unchecked")
    private InternalAppendingState<ACC> stored() {
        return (InternalAppendingState<ACC>) inner;
    }

    @Override
    public OUT get() {
        ACC accumulator = stored().getInternal();
        return accumulator == null ? null : function.getResult(accumulator);
    }

    @Override
    public void add(IN value) {
        if (value == null) {
            clear();
            return;
        }
        ACC accumulator = stored().getInternal();
        accumulator = function.add(value, accumulator == null ? function.createAccumulator() : accumulator);
        stored().updateInternal(accumulator);
        payload();
        writeField(accumulatorSerializer, accumulator);
        record(ChangeFormat.SET);
    }
}

package dev.cairn.state;

import java.util.Objects;

/**
 * Describes an {@link AggregatingState}; the backend stores the accumulator.
 *
 * @param <IN> the input type
 * @param <ACC> the accumulator type
 * @param <OUT> the result type
 */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>, ACC> {
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    /**
     * Describes aggregating state {@code name}.
     *
     * @param name the state's unique name in its backend
     * @param aggregateFunction how inputs are added to the accumulator
     * @param accumulatorSerializer the serializer of the stored accumulator
     */
    public AggregatingStateDescriptor(
            String name, AggregateFunction<IN, ACC, OUT> aggregateFunction, TypeSerializer<ACC> accumulatorSerializer) {
        super(name, accumulatorSerializer);
        this.aggregateFunction = Objects.requireNonNull(aggregateFunction, "aggregateFunction");
    }

    /** {@return the function that adds inputs to the accumulator} */
    public AggregateFunction<IN, ACC, OUT> getAggregateFunction() {
        return aggregateFunction;
    }

    @Override
    public Type getType() {
        return Type.AGGREGATING;
    }
}

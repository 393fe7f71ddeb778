package dev.cairn.state;

/**
 * Incremental aggregation used by {@link AggregatingState}.
 *
 * @param <IN> the input type
 * @param <ACC> the accumulator type (what the backend stores)
 * @param <OUT> the result type
 */
public interface AggregateFunction<IN, ACC, OUT> {
    /** A fresh, empty accumulator. */
    ACC createAccumulator();

    /** Adds a value; may mutate and return {@code accumulator}. */
    ACC add(IN value, ACC accumulator);

    /** The result for an accumulator. */
    OUT getResult(ACC accumulator);

    /**
     * Combines two accumulators into one; may mutate and return either. Needed only to merge namespaces
     * ({@link dev.cairn.state.spi.InternalMergingState}, session windows).
     *
     * @throws UnsupportedOperationException unless overridden
     */
    default ACC merge(ACC a, ACC b) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement AggregateFunction.merge, which merging namespaces (session windows) needs");
    }
}

package dev.cairn.state;

/**
 * Incremental aggregation used by {@link AggregatingState}.
 *
 * @param <IN> the input type
 * @param <ACC> the accumulator type (what the backend stores)
 * @param <OUT> the result type
 */
public interface AggregateFunction<IN, ACC, OUT> {
    /** {@return a fresh, empty accumulator} */
    ACC createAccumulator();

    /**
     * Adds a value; may mutate and return {@code accumulator}.
     *
     * @param value the input to add
     * @param accumulator the accumulator so far; may be modified and returned
     * @return the accumulator with {@code value} added
     */
    ACC add(IN value, ACC accumulator);

    /**
     * {@return the result for an accumulator}
     *
     * @param accumulator the accumulator of all inputs added so far
     */
    OUT getResult(ACC accumulator);

    /**
     * Combines two accumulators into one; may mutate and return either. Needed only to merge namespaces
     * ({@link dev.cairn.state.spi.InternalMergingState}, session windows).
     *
     * @throws UnsupportedOperationException unless overridden
     * @param a an accumulator; may be modified and returned
     * @param b another accumulator, not used afterwards
     * @return an accumulator of both inputs
     */
    default ACC merge(ACC a, ACC b) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement AggregateFunction.merge, which merging namespaces (session windows) needs");
    }
}

package dev.cairn.state;

/**
 * An accumulator per key and namespace fed by an {@link AggregateFunction}.
 *
 * @param <IN> what is added
 * @param <OUT> what {@link #get()} returns
 */
public interface AggregatingState<IN, OUT> extends State {
    /** {@return the aggregate's result, or {@code null} when nothing was added} */
    OUT get();

    /**
     * Adds a value to the accumulator; {@code add(null)} clears the state.
     *
     * @param value the input to add to the current key's accumulator
     */
    void add(IN value);
}

package dev.cairn.state;

/**
 * An accumulator per key and namespace fed by an {@link AggregateFunction}.
 *
 * @param <IN> what is added
 * @param <OUT> what {@link #get()} returns
 */
public interface AggregatingState<IN, OUT> extends State {
    /** The aggregate's result, or {@code null} when nothing was added. */
    OUT get();

    /** Adds a value to the accumulator; {@code add(null)} clears the state. */
    void add(IN value);
}

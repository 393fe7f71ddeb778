package dev.cairn.state;

/**
 * A single value per key and namespace that every {@link #add} folds in with a {@link ReduceFunction}.
 *
 * @param <T> the value type
 */
public interface ReducingState<T> extends State {
    /** {@return the reduced value, or {@code null} when nothing was added} */
    T get();

    /**
     * Folds {@code value} into the current value; {@code add(null)} clears the state.
     *
     * @param value the value to reduce into the current key's value
     */
    void add(T value);
}

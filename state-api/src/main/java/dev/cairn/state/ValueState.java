package dev.cairn.state;

/**
 * One value per key and namespace.
 *
 * @param <T> the value type
 */
public interface ValueState<T> extends State {
    /**
     * The current value, or the descriptor's default value (or {@code null}) when none was set.
     *
     * <p><b>Caveats:</b> on the heap backend the returned object is the stored object (or a copy while a snapshot
     * is running). Mutating it without calling {@link #update} is not supported by every backend.
     *
     * @return the current key's value, or the descriptor's default value when there is none
     */
    T value();

    /**
     * Replaces the value. {@code update(null)} is the same as {@link #clear()}.
     *
     * <p><b>Caveats:</b> the heap backend keeps the object itself; do not mutate it after this call.
     *
     * @param value the new value; {@code null} clears the state
     */
    void update(T value);
}

package dev.cairn.state;

/**
 * Combines two values into one; used by {@link ReducingState}.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ReduceFunction<T> {
    /**
     * Combines the stored value with a new one.
     *
     * <p><b>Caveats:</b> may return either argument after mutating it, but must not keep references to them.
     *
     * @param accumulated the value so far
     * @param value the value to add
     * @return the combined value
     */
    T reduce(T accumulated, T value);
}

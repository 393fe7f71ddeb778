package dev.cairn.state;

import java.util.List;

/**
 * An ordered list of elements per key and namespace. Elements must not be {@code null}.
 *
 * @param <T> the element type
 */
public interface ListState<T> extends State {
    /** {@return the elements in insertion order; an empty iterable when there are none (never {@code null})} */
    Iterable<T> get();

    /**
     * Appends one element; {@code null} is rejected with a {@link NullPointerException}.
     *
     * @param value the element to append
     */
    void add(T value);

    /**
     * Appends all elements in order; a {@code null} list or element is rejected.
     *
     * @param values the elements to append, in order
     */
    void addAll(List<T> values);

    /**
     * Replaces the list; an empty list clears the state; a {@code null} list or element is rejected.
     *
     * @param values the new list (empty clears the state)
     */
    void update(List<T> values);
}

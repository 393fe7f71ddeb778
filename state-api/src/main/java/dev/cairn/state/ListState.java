package dev.cairn.state;

import java.util.List;

/**
 * An ordered list of elements per key and namespace. Elements must not be {@code null}.
 *
 * @param <T> the element type
 */
public interface ListState<T> extends State {
    /** The elements in insertion order; an empty iterable when there are none (never {@code null}). */
    Iterable<T> get();

    /** Appends one element; {@code null} is rejected with a {@link NullPointerException}. */
    void add(T value);

    /** Appends all elements in order; a {@code null} list or element is rejected. */
    void addAll(List<T> values);

    /** Replaces the list; an empty list clears the state; a {@code null} list or element is rejected. */
    void update(List<T> values);
}

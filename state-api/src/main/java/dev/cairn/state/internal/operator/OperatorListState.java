package dev.cairn.state.internal.operator;

import dev.cairn.state.ListState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A list of operator state; {@code clear()} empties it. */
public final class OperatorListState<T> implements ListState<T> {
    private final List<T> elements = new ArrayList<>();

    /** The live list, for snapshots (copied by the caller). */
    public List<T> contents() {
        return elements;
    }

    @Override
    public Iterable<T> get() {
        return elements;
    }

    @Override
    public void add(T value) {
        elements.add(Objects.requireNonNull(value, "ListState does not accept null elements"));
    }

    @Override
    public void addAll(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        values.forEach(v -> Objects.requireNonNull(v, "ListState does not accept null elements"));
        elements.addAll(values);
    }

    @Override
    public void update(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        values.forEach(v -> Objects.requireNonNull(v, "ListState does not accept null elements"));
        elements.clear();
        elements.addAll(values);
    }

    @Override
    public void clear() {
        elements.clear();
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.ListState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

final class HeapListState<K, N, T> extends AbstractHeapMergingState<K, N, List<T>> implements ListState<T> {

    HeapListState(HeapKeyedStateBackend<K> backend, StateTable<K, N, List<T>> table) {
        super(backend, table);
    }

    @Override
    public Iterable<T> get() {
        List<T> list = getInternal();
        return list == null ? Collections.emptyList() : list;
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "ListState does not accept null elements");
        List<T> list = getForUpdateInternal();
        if (list == null) {
            list = new ArrayList<>();
            list.add(value);
            putInternal(list);
        } else {
            list.add(value);
        }
    }

    @Override
    public void addAll(List<T> values) {
        List<T> checked = checkElements(values);
        if (checked.isEmpty()) {
            return;
        }
        List<T> list = getForUpdateInternal();
        if (list == null) {
            putInternal(new ArrayList<>(checked));
        } else {
            list.addAll(checked);
        }
    }

    @Override
    public void update(List<T> values) {
        List<T> checked = checkElements(values);
        if (checked.isEmpty()) {
            clear();
        } else {
            putInternal(new ArrayList<>(checked));
        }
    }

    @Override
    protected List<T> mergeState(List<T> a, List<T> b) {
        a.addAll(b);
        return a;
    }

    private static <T> List<T> checkElements(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        for (T value : values) {
            Objects.requireNonNull(value, "ListState does not accept null elements");
        }
        return values;
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.state.ListState;
import dev.cairn.state.TypeSerializer;
import java.util.List;

/** Records appends element by element (a merge on RocksDB stays a merge) and replacements whole. */
public final class ChangelogListState<N, T> extends AbstractChangelogState<N, ListState<T>> implements ListState<T> {
    private final TypeSerializer<T> elementSerializer;

    public ChangelogListState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<T> elementSerializer) {
        super(context, stateId, namespaceSerializer);
        this.elementSerializer = elementSerializer;
    }

    @Override
    public Iterable<T> get() {
        return inner.get();
    }

    @Override
    public void add(T value) {
        inner.add(value);
        payload();
        writeField(elementSerializer, value);
        record(ChangeFormat.LIST_ADD);
    }

    @Override
    public void addAll(List<T> values) {
        inner.addAll(values);
        if (!values.isEmpty()) {
            recordList(ChangeFormat.LIST_ADD_ALL, values);
        }
    }

    @Override
    public void update(List<T> values) {
        inner.update(values);
        recordList(ChangeFormat.LIST_UPDATE, values);
    }

    private void recordList(byte op, List<T> values) {
        payload();
        writeCount(values.size());
        for (T value : values) {
            writeField(elementSerializer, value);
        }
        record(op);
    }
}

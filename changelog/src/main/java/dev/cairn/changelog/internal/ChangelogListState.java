package dev.cairn.changelog.internal;

import dev.cairn.state.ListState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;
import java.util.Collection;
import java.util.List;

/**
 * Records appends element by element (a merge on RocksDB stays a merge), replacements whole, and namespace merges
 * as one MERGE_NAMESPACES change (replay merges again: no function is needed for lists).
 */
public final class ChangelogListState<N, T> extends AbstractChangelogState<N>
        implements ListState<T>, InternalMergingState<N> {
    private final TypeSerializer<T> elementSerializer;
    private final ListState<T> list;

    @SuppressWarnings("unchecked")
    public ChangelogListState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<T> elementSerializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, inner);
        this.elementSerializer = elementSerializer;
        this.list = (ListState<T>) inner;
    }

    @Override
    public Iterable<T> get() {
        return list.get();
    }

    @Override
    public void add(T value) {
        list.add(value);
        payload();
        writeField(elementSerializer, value);
        record(ChangeFormat.LIST_ADD);
    }

    @Override
    public void addAll(List<T> values) {
        list.addAll(values);
        if (!values.isEmpty()) {
            recordList(ChangeFormat.LIST_ADD_ALL, values);
        }
    }

    @Override
    public void update(List<T> values) {
        list.update(values);
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

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        ((InternalMergingState<N>) inner).mergeNamespaces(target, sources);
        payload();
        writeCount((int) sources.stream().filter(s -> s != null).count());
        for (N source : sources) {
            if (source != null) {
                writeBytesField(serializeNamespace(source));
            }
        }
        recordIn(serializeNamespace(target), ChangeFormat.MERGE_NAMESPACES);
    }
}

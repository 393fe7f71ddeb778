package dev.cairn.state.internal.ttl;

import dev.cairn.state.ListState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.TtlValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * {@link ListState} with TTL per element, Flink's rules: a read returns the unexpired elements (and the expired
 * ones with return-expired visibility); a read that finds no unexpired element clears the list; with update on read,
 * the unexpired elements get new timestamps and the expired ones are dropped. Merging keeps every element's
 * timestamp.
 */
public final class TtlListState<N, T> implements ListState<T>, InternalMergingState<N> {
    private final TtlInternal<N, ListState<TtlValue<T>>> internal;
    private final TtlContext ttl;

    public TtlListState(Object internal, TtlContext ttl) {
        this.internal = new TtlInternal<>(internal);
        this.ttl = ttl;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        internal.kv().setCurrentNamespace(namespace);
    }

    @Override
    public Iterable<T> get() {
        ttl.accessed();
        ListState<TtlValue<T>> state = internal.state();
        List<TtlValue<T>> stored = new ArrayList<>();
        state.get().forEach(stored::add);
        if (stored.isEmpty()) {
            return List.of();
        }
        long now = ttl.now();
        long ttlMillis = ttl.ttlMillis();
        List<T> visible = new ArrayList<>(stored.size());
        List<TtlValue<T>> refreshed = ttl.updateOnRead() ? new ArrayList<>(stored.size()) : null;
        boolean anyUnexpired = false;
        for (TtlValue<T> element : stored) {
            boolean expired = element.isExpired(ttlMillis, now);
            anyUnexpired |= !expired;
            if (!expired || ttl.returnExpired()) {
                visible.add(element.userValue());
            }
            if (refreshed != null && !expired) {
                refreshed.add(new TtlValue<>(element.userValue(), now));
            }
        }
        if (!anyUnexpired) {
            state.clear();
        } else if (refreshed != null) {
            state.update(refreshed);
        }
        return visible;
    }

    @Override
    public void add(T value) {
        ttl.accessed();
        internal.state().add(ttl.wrap(Objects.requireNonNull(value, "ListState does not accept null elements")));
    }

    @Override
    public void addAll(List<T> values) {
        ttl.accessed();
        internal.state().addAll(wrapAll(values));
    }

    @Override
    public void update(List<T> values) {
        ttl.accessed();
        internal.state().update(wrapAll(values));
    }

    private List<TtlValue<T>> wrapAll(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        long now = ttl.now();
        List<TtlValue<T>> wrapped = new ArrayList<>(values.size());
        for (T value : values) {
            wrapped.add(new TtlValue<>(Objects.requireNonNull(value, "ListState does not accept null elements"), now));
        }
        return wrapped;
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        internal.merging().mergeNamespaces(target, sources);
    }

    @Override
    public void clear() {
        internal.state().clear();
    }
}

package dev.cairn.state.internal.ttl;

import dev.cairn.state.ListState;
import dev.cairn.state.spi.TtlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** {@link ListState} with TTL per element; reading drops expired elements from the list. */
public final class TtlListState<T> implements ListState<T> {
    private final ListState<TtlValue<T>> internal;
    private final TtlContext ttl;

    public TtlListState(ListState<TtlValue<T>> internal, TtlContext ttl) {
        this.internal = internal;
        this.ttl = ttl;
    }

    @Override
    public Iterable<T> get() {
        ttl.accessed();
        List<TtlValue<T>> kept = new ArrayList<>();
        List<T> visible = new ArrayList<>();
        boolean changed = false;
        for (TtlValue<T> element : internal.get()) {
            boolean expired = ttl.expired(element);
            if (!expired || ttl.returnExpired()) {
                visible.add(element.userValue());
            }
            if (expired && !ttl.returnExpired()) {
                changed = true;
            } else {
                kept.add(!expired && ttl.updateOnRead() ? ttl.wrap(element.userValue()) : element);
                changed |= !expired && ttl.updateOnRead();
            }
        }
        if (changed) {
            internal.update(kept);
        }
        return visible;
    }

    @Override
    public void add(T value) {
        ttl.accessed();
        internal.add(ttl.wrap(Objects.requireNonNull(value, "ListState does not accept null elements")));
    }

    @Override
    public void addAll(List<T> values) {
        ttl.accessed();
        internal.addAll(wrapAll(values));
    }

    @Override
    public void update(List<T> values) {
        ttl.accessed();
        internal.update(wrapAll(values));
    }

    private List<TtlValue<T>> wrapAll(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        List<TtlValue<T>> wrapped = new ArrayList<>(values.size());
        for (T value : values) {
            wrapped.add(ttl.wrap(Objects.requireNonNull(value, "ListState does not accept null elements")));
        }
        return wrapped;
    }

    @Override
    public void clear() {
        internal.clear();
    }
}

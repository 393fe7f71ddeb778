package dev.cairn.state.internal.ttl;

import dev.cairn.state.ReduceFunction;
import dev.cairn.state.ReducingState;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.TtlValue;
import java.util.Collection;

/**
 * {@link ReducingState} with TTL over the backend's reducing state of {@link TtlValue}s, Flink's rules: a read of
 * an expired value clears it; an add reduces into the stored value if it is visible (unexpired, or expired with
 * return-expired visibility), else starts over; the result gets a new timestamp.
 */
public final class TtlReducingState<N, T> implements ReducingState<T>, InternalMergingState<N> {
    private final TtlInternal<N, ReducingState<TtlValue<T>>> internal;
    private final TtlContext ttl;
    private final ReduceFunction<T> reduceFunction;

    public TtlReducingState(Object internal, TtlContext ttl, ReduceFunction<T> reduceFunction) {
        this.internal = new TtlInternal<>(internal);
        this.ttl = ttl;
        this.reduceFunction = reduceFunction;
    }

    @SuppressWarnings("unchecked")
    private InternalAppendingState<TtlValue<T>> stored() {
        return (InternalAppendingState<TtlValue<T>>) internal.object();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        internal.kv().setCurrentNamespace(namespace);
    }

    @Override
    public T get() {
        ttl.accessed();
        InternalAppendingState<TtlValue<T>> stored = stored();
        TtlValue<T> visible = ttl.checkOnRead(stored.getInternal(), internal.state()::clear, stored::updateInternal);
        return visible == null ? null : visible.userValue();
    }

    @Override
    public void add(T value) {
        ttl.accessed();
        if (value == null) {
            internal.state().clear();
            return;
        }
        T current = ttl.unexpired(stored().getInternal());
        stored().updateInternal(ttl.wrap(current == null ? value : reduceFunction.reduce(current, value)));
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

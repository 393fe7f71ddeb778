package dev.cairn.state.internal.ttl;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.TtlValue;
import java.util.Collection;

/**
 * {@link AggregatingState} with TTL over the backend's aggregating state of {@link TtlValue} accumulators, Flink's
 * rules: a read of an expired accumulator clears it; an add continues a visible accumulator (unexpired, or expired
 * with return-expired visibility), else a fresh one; the result gets a new timestamp.
 */
public final class TtlAggregatingState<N, IN, ACC, OUT> implements AggregatingState<IN, OUT>, InternalMergingState<N> {
    private final TtlInternal<N, AggregatingState<IN, OUT>> internal;
    private final TtlContext ttl;
    private final AggregateFunction<IN, ACC, OUT> function;

    public TtlAggregatingState(Object internal, TtlContext ttl, AggregateFunction<IN, ACC, OUT> function) {
        this.internal = new TtlInternal<>(internal);
        this.ttl = ttl;
        this.function = function;
    }

    @SuppressWarnings("unchecked")
    private InternalAppendingState<TtlValue<ACC>> stored() {
        return (InternalAppendingState<TtlValue<ACC>>) internal.object();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        internal.kv().setCurrentNamespace(namespace);
    }

    @Override
    public OUT get() {
        ttl.accessed();
        InternalAppendingState<TtlValue<ACC>> stored = stored();
        TtlValue<ACC> visible = ttl.checkOnRead(stored.getInternal(), internal.state()::clear, stored::updateInternal);
        return visible == null ? null : function.getResult(visible.userValue());
    }

    @Override
    public void add(IN value) {
        ttl.accessed();
        if (value == null) {
            internal.state().clear();
            return;
        }
        ACC current = ttl.unexpired(stored().getInternal());
        ACC accumulator = current == null ? function.createAccumulator() : current;
        stored().updateInternal(ttl.wrap(function.add(value, accumulator)));
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

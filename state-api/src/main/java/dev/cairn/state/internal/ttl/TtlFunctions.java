package dev.cairn.state.internal.ttl;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.ReduceFunction;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.support.TtlValue;

/**
 * The functions of a TTL-enabled reducing or aggregating state's internal state, over {@link TtlValue}s. The TTL
 * decorators read and write the stored value directly; a backend uses these functions when it merges namespaces.
 * Their rules are Flink's: an input that is expired (and not visible) is ignored, the result gets the time of the
 * call, and if every input is expired the result is {@code null} (nothing is stored).
 */
public final class TtlFunctions {
    private TtlFunctions() {}

    /** A reduce function over {@link TtlValue}s that applies {@code function} to the visible user values. */
    public static <T> ReduceFunction<TtlValue<T>> reduce(
            ReduceFunction<T> function, StateTtlConfig config, TtlTimeProvider time) {
        TtlContext ttl = new TtlContext(config, time, () -> {});
        return (a, b) -> {
            T first = ttl.unexpired(a);
            T second = ttl.unexpired(b);
            if (first != null && second != null) {
                return ttl.wrap(function.reduce(first, second));
            }
            T only = first != null ? first : second;
            return only == null ? null : ttl.wrap(only);
        };
    }

    /** An aggregate function over {@link TtlValue} accumulators that applies {@code function}. */
    public static <IN, ACC, OUT> AggregateFunction<IN, TtlValue<ACC>, OUT> aggregate(
            AggregateFunction<IN, ACC, OUT> function, StateTtlConfig config, TtlTimeProvider time) {
        TtlContext ttl = new TtlContext(config, time, () -> {});
        return new AggregateFunction<>() {
            @Override
            public TtlValue<ACC> createAccumulator() {
                return ttl.wrap(function.createAccumulator());
            }

            @Override
            public TtlValue<ACC> add(IN value, TtlValue<ACC> accumulator) {
                ACC current = ttl.unexpired(accumulator);
                return ttl.wrap(function.add(value, current == null ? function.createAccumulator() : current));
            }

            @Override
            public OUT getResult(TtlValue<ACC> accumulator) {
                ACC current = ttl.unexpired(accumulator);
                return current == null ? null : function.getResult(current);
            }

            @Override
            public TtlValue<ACC> merge(TtlValue<ACC> a, TtlValue<ACC> b) {
                ACC first = ttl.unexpired(a);
                ACC second = ttl.unexpired(b);
                if (first != null && second != null) {
                    return ttl.wrap(function.merge(first, second));
                }
                ACC only = first != null ? first : second;
                return only == null ? null : ttl.wrap(only);
            }
        };
    }
}

package dev.cairn.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random scenarios — every state kind, namespaces, TTL with an injected clock (every update and visibility mode),
 * timers, clears, iterator removal and {@code setValue}, namespace merges, checkpoints, savepoints and rescaling
 * between 1 and 3 instances — applied step by step to Cairn's backend of one {@link Variant} and to Flink 2.3's heap
 * backend; after every step both must have observed the same. The only differences allowed are those of
 * {@link Deviations}. On a failure jqwik prints the shrunk scenario.
 *
 * <p>Tries per variant: {@code -Ddifferential.tries=…} (Maven property; default in the module's POM).
 */
abstract class DifferentialProperties {

    /** The Cairn backend under test. */
    abstract Variant variant();

    @Property
    void cairnObservesWhatFlinkObserves(@ForAll("scenarios") Scenario scenario) throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        try (World flink = new FlinkWorld(scenario.ttl(), clock);
                World cairn = new CairnWorld(variant(), scenario.ttl(), clock)) {
            List<Op> ops = scenario.ops();
            for (int step = 0; step < ops.size(); step++) {
                Op op = ops.get(step);
                if (op instanceof Op.Keyed keyed) {
                    String key = World.KEYS.get(keyed.key());
                    assertThat(cairn.ownerOf(key))
                            .as("instance owning %s at step %d", key, step)
                            .isEqualTo(flink.ownerOf(key));
                }
                if (op instanceof Op.Advance advance) {
                    clock.addAndGet(advance.millis());
                }
                Object expected = flink.apply(op);
                Object actual = cairn.apply(op);
                assertThat(actual).as("step %d: %s", step, op).isEqualTo(expected);
            }
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<TtlSetting> withTtl = Combinators.combine(
                        Arbitraries.of(10L, 40L, 100L),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false)
                                .filter(full -> !full || Deviations.fullSnapshotCleanupGenerated(variant())))
                .as(TtlSetting::new);
        Arbitrary<TtlSetting> ttl =
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(TtlSetting.NONE)), Tuple.of(2, withTtl));
        return ttl.flatMap(
                setting -> operation(setting).list().ofMinSize(1).ofMaxSize(70).map(ops -> new Scenario(setting, ops)));
    }

    private Arbitrary<Op> operation(TtlSetting ttl) {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, World.KEYS.size() - 1);
        Arbitrary<Long> namespaces = Arbitraries.longs().between(0, 2);
        Arbitrary<Long> values = Arbitraries.longs().between(-20, 20);
        Arbitrary<Integer> userKeys = Arbitraries.integers().between(0, 4);
        Arbitrary<Long> mapValues = Deviations.nullMapValuesGenerated(ttl) ? values.injectNull(0.15) : values;
        Arbitrary<List<Long>> lists = values.list().ofMaxSize(3);
        Arbitrary<Map<Integer, Long>> maps =
                Arbitraries.maps(userKeys, mapValues).ofMinSize(1).ofMaxSize(3);
        Arbitrary<Long> timestamps = Arbitraries.longs().between(0, 60);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Combinators.combine(keys, namespaces).as(Op.ValueRead::new)),
                Tuple.of(
                        4,
                        Combinators.combine(keys, namespaces, values.injectNull(0.1))
                                .as(Op.ValueWrite::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.ValueClear::new)),
                Tuple.of(3, Combinators.combine(keys, namespaces).as(Op.ListRead::new)),
                Tuple.of(4, Combinators.combine(keys, namespaces, values).as(Op.ListAdd::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, lists).as(Op.ListAddAll::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, lists).as(Op.ListUpdate::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.ListClear::new)),
                Tuple.of(2, Combinators.combine(keys, namespaces, userKeys).as(Op.MapRead::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, userKeys).as(Op.MapContains::new)),
                Tuple.of(
                        4,
                        Combinators.combine(keys, namespaces, userKeys, mapValues)
                                .as(Op.MapPut::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, maps).as(Op.MapPutAll::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, userKeys).as(Op.MapRemove::new)),
                Tuple.of(2, Combinators.combine(keys, namespaces).as(Op.MapEntries::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.MapKeys::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.MapValues::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.MapIsEmpty::new)),
                Tuple.of(
                        1,
                        Combinators.combine(
                                        keys, namespaces, Arbitraries.integers().between(0, 1))
                                .as(Op.MapRemoveIf::new)),
                Tuple.of(
                        1,
                        Combinators.combine(keys, namespaces, userKeys, values).as(Op.MapSetValue::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.MapClear::new)),
                Tuple.of(2, Combinators.combine(keys, namespaces).as(Op.ReduceRead::new)),
                Tuple.of(
                        3,
                        Combinators.combine(keys, namespaces, Arbitraries.of("a", "b", "c", "d"))
                                .as(Op.ReduceAdd::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.ReduceClear::new)),
                Tuple.of(2, Combinators.combine(keys, namespaces).as(Op.AggregateRead::new)),
                Tuple.of(
                        3,
                        Combinators.combine(
                                        keys, namespaces, Arbitraries.longs().between(1, 9))
                                .as(Op.AggregateAdd::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces).as(Op.AggregateClear::new)),
                Tuple.of(
                        3,
                        Combinators.combine(
                                        Arbitraries.of(World.LIST, World.REDUCE, World.AGGREGATE),
                                        keys,
                                        namespaces,
                                        Arbitraries.longs().between(0, 3).list().ofMaxSize(3))
                                .as(Op.Merge::new)),
                Tuple.of(3, Combinators.combine(keys, namespaces, timestamps).as(Op.TimerAdd::new)),
                Tuple.of(1, Combinators.combine(keys, namespaces, timestamps).as(Op.TimerRemove::new)),
                Tuple.of(1, timestamps.map(Op.TimersFire::new)),
                Tuple.of(1, Arbitraries.just(new Op.TimersSize())),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        Arbitraries.of(
                                                World.VALUE, World.LIST, World.MAP, World.REDUCE, World.AGGREGATE),
                                        namespaces)
                                .as(Op.Keys::new)),
                Tuple.of(
                        2,
                        Arbitraries.of(World.VALUE, World.LIST, World.MAP, World.REDUCE, World.AGGREGATE, World.TIMERS)
                                .map(Op.KeysAndNamespaces::new)),
                Tuple.of(
                        ttl.enabled() ? 4 : 1,
                        Arbitraries.longs()
                                .between(1, ttl.enabled() ? ttl.ttlMillis() : 10)
                                .map(Op.Advance::new)),
                Tuple.of(2, Arbitraries.just(new Op.Checkpoint())),
                Tuple.of(1, Arbitraries.just(new Op.Savepoint())),
                Tuple.of(1, Arbitraries.integers().between(1, 3).map(Op.Rescale::new)));
    }
}

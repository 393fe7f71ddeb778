package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.StateBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of state operations, with snapshot/restore and rescale steps in between, must leave the
 * backend agreeing with a plain in-memory model after every step.
 */
public abstract class StateModelProperties {
    private static final int KEYS = 24;
    private static final int NAMESPACES = 3;
    private static final int MAX_PARALLELISM = 16;

    private static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value", Serializers.LONG);
    private static final ListStateDescriptor<Long> LIST = new ListStateDescriptor<>("list", Serializers.LONG);
    private static final MapStateDescriptor<Integer, Long> MAP =
            new MapStateDescriptor<>("map", Serializers.INT, Serializers.LONG);
    private static final ReducingStateDescriptor<Long> SUM =
            new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG);

    /** The backend under test. */
    protected abstract BackendFixture fixture();

    /** One step of a run. */
    sealed interface Op
            permits PutValue,
                    ClearValue,
                    AddList,
                    ClearList,
                    PutMap,
                    RemoveMap,
                    AddSum,
                    Checkpoint,
                    Snapshot,
                    Rescale {}

    record PutValue(int key, long ns, long value) implements Op {}

    record ClearValue(int key, long ns) implements Op {}

    record AddList(int key, long ns, long value) implements Op {}

    record ClearList(int key, long ns) implements Op {}

    record PutMap(int key, long ns, int userKey, Long value) implements Op {}

    record RemoveMap(int key, long ns, int userKey) implements Op {}

    record AddSum(int key, long ns, long value) implements Op {}

    /**
     * Checkpoint every instance and keep running: later snapshots of incremental backends reuse its files, so a
     * restore after it tests that reuse.
     */
    record Checkpoint() implements Op {}

    /** Snapshot every instance and restore with the same parallelism. */
    record Snapshot() implements Op {}

    /** Snapshot every instance and restore into {@code parallelism} instances. */
    record Rescale(int parallelism) implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> keys = Arbitraries.integers().between(0, KEYS - 1);
        Arbitrary<Long> namespaces = Arbitraries.longs().between(0, NAMESPACES - 1);
        Arbitrary<Long> values = Arbitraries.longs().between(-1000, 1000);
        Arbitrary<Integer> userKeys = Arbitraries.integers().between(0, 5);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        6, Combinators.combine(keys, namespaces, values).as(PutValue::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(keys, namespaces).as(ClearValue::new)),
                net.jqwik.api.Tuple.of(
                        6, Combinators.combine(keys, namespaces, values).as(AddList::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(keys, namespaces).as(ClearList::new)),
                net.jqwik.api.Tuple.of(
                        6,
                        Combinators.combine(keys, namespaces, userKeys, values.injectNull(0.1))
                                .as(PutMap::new)),
                net.jqwik.api.Tuple.of(
                        3, Combinators.combine(keys, namespaces, userKeys).as(RemoveMap::new)),
                net.jqwik.api.Tuple.of(
                        4, Combinators.combine(keys, namespaces, values).as(AddSum::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Checkpoint())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Snapshot())),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4).map(Rescale::new)));
        return op.list().ofMaxSize(80);
    }

    @Property(tries = 150)
    void backendAgreesWithModel(@ForAll("operations") List<Op> ops) throws Exception {
        Cluster cluster = new Cluster(fixture().createStateBackend(), fixture().createStreamFactory());
        Model model = new Model();
        try {
            cluster.restore(1, List.of());
            for (Op op : ops) {
                apply(cluster, model, op);
                if (op instanceof Snapshot || op instanceof Rescale) {
                    verifyAll(cluster, model);
                }
            }
            verifyAll(cluster, model);
        } finally {
            cluster.close();
        }
    }

    private static void apply(Cluster cluster, Model model, Op op) throws Exception {
        if (op instanceof PutValue p) {
            cluster.at(p.key())
                    .getPartitionedState(p.ns(), Serializers.LONG, VALUE)
                    .update(p.value());
            model.values.put(new Cell(p.key(), p.ns()), p.value());
        } else if (op instanceof ClearValue c) {
            cluster.at(c.key())
                    .getPartitionedState(c.ns(), Serializers.LONG, VALUE)
                    .clear();
            model.values.remove(new Cell(c.key(), c.ns()));
        } else if (op instanceof AddList a) {
            cluster.at(a.key())
                    .getPartitionedState(a.ns(), Serializers.LONG, LIST)
                    .add(a.value());
            model.lists
                    .computeIfAbsent(new Cell(a.key(), a.ns()), c -> new ArrayList<>())
                    .add(a.value());
        } else if (op instanceof ClearList c) {
            cluster.at(c.key())
                    .getPartitionedState(c.ns(), Serializers.LONG, LIST)
                    .clear();
            model.lists.remove(new Cell(c.key(), c.ns()));
        } else if (op instanceof PutMap p) {
            cluster.at(p.key())
                    .getPartitionedState(p.ns(), Serializers.LONG, MAP)
                    .put(p.userKey(), p.value());
            model.maps
                    .computeIfAbsent(new Cell(p.key(), p.ns()), c -> new HashMap<>())
                    .put(p.userKey(), p.value());
        } else if (op instanceof RemoveMap r) {
            cluster.at(r.key())
                    .getPartitionedState(r.ns(), Serializers.LONG, MAP)
                    .remove(r.userKey());
            Map<Integer, Long> userMap = model.maps.get(new Cell(r.key(), r.ns()));
            if (userMap != null) {
                userMap.remove(r.userKey());
                if (userMap.isEmpty()) {
                    model.maps.remove(new Cell(r.key(), r.ns()));
                }
            }
        } else if (op instanceof AddSum a) {
            cluster.at(a.key())
                    .getPartitionedState(a.ns(), Serializers.LONG, SUM)
                    .add(a.value());
            model.sums.merge(new Cell(a.key(), a.ns()), a.value(), Long::sum);
        } else if (op instanceof Checkpoint) {
            cluster.snapshotAll();
        } else if (op instanceof Snapshot) {
            cluster.restore(cluster.parallelism(), cluster.snapshotAll());
        } else if (op instanceof Rescale r) {
            cluster.restore(r.parallelism(), cluster.snapshotAll());
        }
    }

    private static void verifyAll(Cluster cluster, Model model) {
        for (int key = 0; key < KEYS; key++) {
            for (long ns = 0; ns < NAMESPACES; ns++) {
                Cell cell = new Cell(key, ns);
                CheckpointableKeyedStateBackend<String> backend = cluster.at(key);
                assertThat(backend.getPartitionedState(ns, Serializers.LONG, VALUE)
                                .value())
                        .as("value of %s", cell)
                        .isEqualTo(model.values.get(cell));
                List<Long> list = new ArrayList<>();
                backend.getPartitionedState(ns, Serializers.LONG, LIST).get().forEach(list::add);
                assertThat(list).as("list of %s", cell).isEqualTo(model.lists.getOrDefault(cell, List.of()));
                MapState<Integer, Long> map = backend.getPartitionedState(ns, Serializers.LONG, MAP);
                Map<Integer, Long> entries = new HashMap<>();
                map.entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
                assertThat(entries).as("map of %s", cell).isEqualTo(model.maps.getOrDefault(cell, Map.of()));
                assertThat(map.isEmpty()).isEqualTo(entries.isEmpty());
                assertThat(backend.getPartitionedState(ns, Serializers.LONG, SUM)
                                .get())
                        .as("sum of %s", cell)
                        .isEqualTo(model.sums.get(cell));
            }
        }
        for (long ns = 0; ns < NAMESPACES; ns++) {
            long namespace = ns;
            Set<String> expected = model.values.keySet().stream()
                    .filter(c -> c.ns() == namespace)
                    .map(c -> key(c.key()))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> actual = new TreeSet<>();
            for (CheckpointableKeyedStateBackend<String> backend : cluster.instances) {
                backend.getKeys("value", namespace).forEach(actual::add);
            }
            assertThat(actual).as("keys of namespace %s", ns).isEqualTo(expected);
        }
    }

    private static String key(int key) {
        return "key-" + key;
    }

    private record Cell(int key, long ns) {}

    private static final class Model {
        final Map<Cell, Long> values = new HashMap<>();
        final Map<Cell, List<Long>> lists = new HashMap<>();
        final Map<Cell, Map<Integer, Long>> maps = new HashMap<>();
        final Map<Cell, Long> sums = new HashMap<>();
    }

    /** Parallel instances of one operator, each owning its key groups; keys are routed to their owner. */
    private static final class Cluster {
        private final StateBackend stateBackend;
        private final CheckpointStreamFactory streams;
        private List<CheckpointableKeyedStateBackend<String>> instances = new ArrayList<>();
        private long checkpointId;

        Cluster(StateBackend stateBackend, CheckpointStreamFactory streams) {
            this.stateBackend = stateBackend;
            this.streams = streams;
        }

        int parallelism() {
            return instances.size();
        }

        CheckpointableKeyedStateBackend<String> at(int key) {
            String k = key(key);
            int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(k, MAX_PARALLELISM);
            CheckpointableKeyedStateBackend<String> owner = instances.get(
                    KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(MAX_PARALLELISM, parallelism(), keyGroup));
            owner.setCurrentKey(k);
            return owner;
        }

        List<KeyedStateHandle> snapshotAll() throws Exception {
            List<KeyedStateHandle> handles = new ArrayList<>();
            for (CheckpointableKeyedStateBackend<String> backend : instances) {
                KeyedStateHandle handle = backend.snapshotNow(++checkpointId, streams, SnapshotOptions.checkpoint())
                        .getHandle();
                backend.notifyCheckpointComplete(checkpointId);
                if (handle != null) {
                    handles.add(handle);
                }
            }
            return handles;
        }

        void restore(int parallelism, List<KeyedStateHandle> handles) {
            close();
            instances = new ArrayList<>();
            for (int index = 0; index < parallelism; index++) {
                instances.add(stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .numberOfKeyGroups(MAX_PARALLELISM)
                        .instance(index, parallelism)
                        .restoreFrom(handles)
                        .build()));
            }
        }

        void close() {
            instances.forEach(CheckpointableKeyedStateBackend::close);
        }
    }
}

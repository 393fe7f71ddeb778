package dev.cairn.portability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One canonical savepoint format: a savepoint of any backend restores into any other (and into another
 * parallelism), with equal state — values, lists, maps, reducing state, TTL state and timers.
 */
class SavepointPortabilityTest {
    private static final ValueStateDescriptor<String> VALUE = new ValueStateDescriptor<>("value", Serializers.STRING);
    private static final ListStateDescriptor<Integer> LIST = new ListStateDescriptor<>("list", Serializers.INT);
    private static final MapStateDescriptor<String, Long> MAP =
            new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG);
    private static final ListStateDescriptor<Integer> WINDOW = new ListStateDescriptor<>("window", Serializers.INT);
    private static final ReducingStateDescriptor<Long> SUM =
            new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG);

    private static ValueStateDescriptor<String> ttlValue() {
        ValueStateDescriptor<String> descriptor = new ValueStateDescriptor<>("ttl-value", Serializers.STRING);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        return descriptor;
    }

    private static StateBackend rocksWithHeapTimers() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setPriorityQueueStateType(RocksDBOptions.TimerServiceFactory.HEAP);
        return backend;
    }

    static Stream<Arguments> pairs() {
        Map<String, Supplier<StateBackend>> backends = Map.of(
                "heap", HashMapStateBackend::new,
                "rocksdb", EmbeddedRocksDBStateBackend::new,
                "rocksdb-heap-timers", SavepointPortabilityTest::rocksWithHeapTimers);
        List<Arguments> pairs = new ArrayList<>();
        backends.forEach((fromName, from) -> backends.forEach((toName, to) -> {
            if (!fromName.equals(toName)) {
                pairs.add(Arguments.of(fromName, from, toName, to));
            }
        }));
        return pairs.stream();
    }

    private static final long NOW = 1_000_000;

    private static CheckpointableKeyedStateBackend<String> create(
            StateBackend backend, int index, int parallelism, List<KeyedStateHandle> handles) {
        return backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                .instance(index, parallelism)
                .restoreFrom(handles)
                .ttlTimeProvider(() -> NOW)
                .build());
    }

    /** Everything the backend holds for the test keys, including timers fired at the end. */
    private static Map<String, String> contents(CheckpointableKeyedStateBackend<String> backend, List<String> keys)
            throws Exception {
        Map<String, String> contents = new TreeMap<>();
        KeyedTimerService<String, Long> timers = KeyedTimerService.create(
                backend,
                "timers",
                Serializers.LONG,
                timer -> contents.put(
                        "timer/" + timer.key() + "/" + timer.namespace() + "@" + timer.timestamp(), "fired"));
        for (String key : keys) {
            backend.setCurrentKey(key);
            contents.put(key + "/value", backend.getState(VALUE).value());
            List<Integer> list = new ArrayList<>();
            backend.getState(LIST).get().forEach(list::add);
            contents.put(key + "/list", list.toString());
            Map<String, Long> map = new TreeMap<>();
            backend.getState(MAP).entries().forEach(e -> map.put(e.getKey(), e.getValue()));
            contents.put(key + "/map", map.toString());
            contents.put(key + "/sum", String.valueOf(backend.getState(SUM).get()));
            contents.put(key + "/ttl", backend.getState(ttlValue()).value());
            contents.put(
                    key + "/window",
                    backend.getPartitionedState(7L, Serializers.LONG, WINDOW)
                            .get()
                            .toString());
        }
        timers.advanceWatermark(Long.MAX_VALUE);
        return contents;
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("pairs")
    void aSavepointRestoresIntoAnotherBackendWithEqualState(
            String fromName, Supplier<StateBackend> from, String toName, Supplier<StateBackend> to) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("key-" + i);
        }
        Map<String, String> expected;
        List<KeyedStateHandle> savepoint;
        try (CheckpointableKeyedStateBackend<String> source = create(from.get(), 0, 1, List.of())) {
            KeyedTimerService<String, Long> timers =
                    KeyedTimerService.create(source, "timers", Serializers.LONG, timer -> {});
            for (int i = 0; i < keys.size(); i++) {
                source.setCurrentKey(keys.get(i));
                source.getState(VALUE).update("v" + i);
                source.getState(LIST).addAll(List.of(i, -i));
                source.getState(MAP).put("a", (long) i);
                source.getState(MAP).put("nothing", null);
                source.getState(SUM).add((long) i);
                source.getState(SUM).add(1L);
                source.getState(ttlValue()).update("t" + i);
                source.getPartitionedState(7L, Serializers.LONG, WINDOW).add(i * 7);
                timers.registerEventTimeTimer((long) (i % 3), 100L + i);
            }
            savepoint = List.of(source.snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.savepoint())
                    .getHandle());
            try (CheckpointableKeyedStateBackend<String> reference =
                    create(new HashMapStateBackend(), 0, 1, savepoint)) {
                expected = contents(reference, keys);
            }
        }
        assertThat(expected).containsEntry("key-3/list", "[3, -3]").containsEntry("timer/key-3/0@103", "fired");

        Map<String, String> restored = new TreeMap<>();
        for (int index = 0; index < 2; index++) {
            try (CheckpointableKeyedStateBackend<String> target = create(to.get(), index, 2, savepoint)) {
                List<String> owned = keys.stream()
                        .filter(k -> target.getKeyGroupRange()
                                .contains(dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(
                                        k, target.getNumberOfKeyGroups())))
                        .toList();
                restored.putAll(contents(target, owned));
            }
        }
        assertThat(restored)
                .as("%s savepoint restored into %s (two instances)", fromName, toName)
                .isEqualTo(expected);
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.AggregatingState;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingState;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** State time-to-live with an injected clock: expiry, visibility, update types, cleanup, restore rules. */
public abstract class TtlConformance extends StateBackendTestBase {
    private final AtomicLong now = new AtomicLong(1_000);

    private StateTtlConfig.Builder ttl() {
        return StateTtlConfig.newBuilder(Duration.ofMillis(100));
    }

    private CheckpointableKeyedStateBackend<String> backend(List<KeyedStateHandle> restore) {
        return createBackend(KeyedBackendParameters.builder(Serializers.STRING)
                .ttlTimeProvider(now::get)
                .restoreFrom(restore)
                .build());
    }

    private <T> ValueStateDescriptor<T> withTtl(ValueStateDescriptor<T> descriptor, StateTtlConfig config) {
        descriptor.enableTimeToLive(config);
        return descriptor;
    }

    @Test
    void valuesExpireAndAreNeverReturnedByDefault() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<Long> state =
                backend.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.LONG, -1L), ttl().build()));
        backend.setCurrentKey("k");
        state.update(5L);
        now.addAndGet(99);
        assertThat(state.value()).isEqualTo(5L);
        now.addAndGet(1);
        assertThat(state.value()).as("expired: the default value").isEqualTo(-1L);
        assertThat(backend.numKeyValueStateEntries())
                .as("read of an expired value removes it")
                .isZero();
    }

    @Test
    void returnExpiredIfNotCleanedUpAndUpdateOnRead() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<String> lenient = backend.getState(withTtl(
                new ValueStateDescriptor<>("lenient", Serializers.STRING),
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
        ValueState<String> touched = backend.getState(withTtl(
                new ValueStateDescriptor<>("touched", Serializers.STRING),
                ttl().updateTtlOnReadAndWrite().build()));
        backend.setCurrentKey("k");
        lenient.update("old");
        touched.update("kept alive");
        for (int i = 0; i < 5; i++) {
            now.addAndGet(60);
            assertThat(touched.value()).isEqualTo("kept alive");
        }
        assertThat(lenient.value()).as("expired but returned until cleaned up").isEqualTo("old");
        now.addAndGet(100);
        assertThat(touched.value()).isNull();
    }

    @Test
    void listElementsAndMapEntriesExpireIndividually() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ListStateDescriptor<String> listDescriptor = new ListStateDescriptor<>("list", Serializers.STRING);
        listDescriptor.enableTimeToLive(ttl().build());
        MapStateDescriptor<String, Long> mapDescriptor =
                new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG);
        mapDescriptor.enableTimeToLive(ttl().build());
        ListState<String> list = backend.getState(listDescriptor);
        MapState<String, Long> map = backend.getState(mapDescriptor);
        backend.setCurrentKey("k");
        list.add("early");
        map.put("early", 1L);
        now.addAndGet(60);
        list.add("late");
        map.put("late", 2L);
        map.put("no-value", null);
        now.addAndGet(60);
        assertThat(list.get()).containsExactly("late");
        assertThat(map.keys()).containsExactlyInAnyOrder("late", "no-value");
        assertThat(map.contains("early")).isFalse();
        assertThat(map.contains("no-value")).isTrue();
        now.addAndGet(60);
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
    }

    @Test
    void reducingAndAggregatingRestartAfterExpiry() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ReducingStateDescriptor<Long> sumDescriptor = new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG);
        sumDescriptor.enableTimeToLive(ttl().build());
        AggregatingStateDescriptor<Long, long[], Double> avgDescriptor = new AggregatingStateDescriptor<>(
                "avg", new ReducingAndAggregatingStateConformance.Average(), Serializers.LONG_ARRAY);
        avgDescriptor.enableTimeToLive(ttl().build());
        ReducingState<Long> sum = backend.getState(sumDescriptor);
        AggregatingState<Long, Double> avg = backend.getState(avgDescriptor);
        backend.setCurrentKey("k");
        sum.add(10L);
        avg.add(10L);
        now.addAndGet(50);
        sum.add(5L);
        avg.add(20L);
        assertThat(sum.get()).isEqualTo(15L);
        assertThat(avg.get()).isEqualTo(15.0);
        now.addAndGet(100);
        assertThat(sum.get()).isNull();
        sum.add(1L);
        avg.add(1L);
        assertThat(sum.get()).isEqualTo(1L);
        assertThat(avg.get()).isEqualTo(1.0);
    }

    @Test
    void timestampsSurviveRestoreAndFullSnapshotCleanupDropsExpiredValues() throws Exception {
        StateTtlConfig config = ttl().returnExpiredIfNotCleanedUp()
                .cleanupFullSnapshot()
                .disableCleanupInBackground()
                .build();
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<String> state =
                backend.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), config));
        backend.setCurrentKey("old");
        state.update("o");
        now.addAndGet(70);
        backend.setCurrentKey("young");
        state.update("y");
        now.addAndGet(40); // "old" expired, "young" has 60 ms left
        // Full-snapshot cleanup applies to full canonical snapshots; RocksDB checkpoints are native (as in Flink,
        // where it does not apply to incremental RocksDB checkpoints), so a savepoint is what this test takes.
        List<KeyedStateHandle> handles = handles(snapshot(backend, SnapshotOptions.savepoint()));

        CheckpointableKeyedStateBackend<String> restored = backend(handles);
        ValueState<String> restoredState =
                restored.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), config));
        assertThat(restored.numKeyValueStateEntries())
                .as("expired value not written")
                .isEqualTo(1);
        restored.setCurrentKey("old");
        assertThat(restoredState.value()).isNull();
        restored.setCurrentKey("young");
        assertThat(restoredState.value()).isEqualTo("y");
        now.addAndGet(60);
        CheckpointableKeyedStateBackend<String> later =
                backend(handles(snapshot(restored, SnapshotOptions.savepoint())));
        assertThat(later.numKeyValueStateEntries())
                .as("the young value expired at its original time")
                .isZero();
    }

    @Test
    void incrementalCleanupRemovesExpiredValuesOfKeysNeverReadAgain() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<Long> state = backend.getState(withTtl(
                new ValueStateDescriptor<>("v", Serializers.LONG),
                ttl().cleanupIncrementally(10, false).build()));
        for (int i = 0; i < 500; i++) {
            backend.setCurrentKey("key" + i);
            state.update((long) i);
        }
        now.addAndGet(200);
        backend.setCurrentKey("reader");
        for (int access = 0; access < 200 && backend.numKeyValueStateEntries() > 0; access++) {
            state.value();
        }
        assertThat(backend.numKeyValueStateEntries()).isZero();
    }

    private <S extends dev.cairn.state.State, D extends dev.cairn.state.StateDescriptor<S, ?>> D ttl(
            D descriptor, StateTtlConfig config) {
        descriptor.enableTimeToLive(config);
        return descriptor;
    }

    /** One descriptor of every kind, with {@code config}. */
    private final class AllKinds {
        final ValueStateDescriptor<String> value;
        final ListStateDescriptor<String> list;
        final MapStateDescriptor<String, String> map;
        final ReducingStateDescriptor<String> reducing;
        final AggregatingStateDescriptor<Long, long[], Double> aggregating;

        AllKinds(StateTtlConfig config) {
            value = ttlOrNot(new ValueStateDescriptor<>("value", Serializers.STRING), config);
            list = ttlOrNot(new ListStateDescriptor<>("list", Serializers.STRING), config);
            map = ttlOrNot(new MapStateDescriptor<>("map", Serializers.STRING, Serializers.STRING), config);
            reducing = ttlOrNot(new ReducingStateDescriptor<>("reducing", (a, b) -> a + b, Serializers.STRING), config);
            aggregating = ttlOrNot(
                    new AggregatingStateDescriptor<>(
                            "aggregating",
                            new ReducingAndAggregatingStateConformance.Average(),
                            Serializers.LONG_ARRAY),
                    config);
        }

        private <D extends dev.cairn.state.StateDescriptor<?, ?>> D ttlOrNot(D descriptor, StateTtlConfig config) {
            if (config != null) {
                descriptor.enableTimeToLive(config);
            }
            return descriptor;
        }

        void write(CheckpointableKeyedStateBackend<String> backend, long namespace, String text, long number) {
            backend.getPartitionedState(namespace, Serializers.LONG, value).update(text);
            backend.getPartitionedState(namespace, Serializers.LONG, list).add(text);
            backend.getPartitionedState(namespace, Serializers.LONG, map).put("k", text);
            backend.getPartitionedState(namespace, Serializers.LONG, reducing).add(text);
            backend.getPartitionedState(namespace, Serializers.LONG, aggregating)
                    .add(number);
        }

        void assertHolds(CheckpointableKeyedStateBackend<String> backend, long namespace, String text, long number) {
            String where = "namespace " + namespace;
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, value)
                            .value())
                    .as(where)
                    .isEqualTo(text);
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, list)
                            .get())
                    .as(where)
                    .containsExactly(text);
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, map)
                            .get("k"))
                    .as(where)
                    .isEqualTo(text);
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, reducing)
                            .get())
                    .as(where)
                    .isEqualTo(text);
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, aggregating)
                            .get())
                    .as(where)
                    .isEqualTo((double) number);
        }

        void assertEmpty(CheckpointableKeyedStateBackend<String> backend, long namespace) {
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, value)
                            .value())
                    .isNull();
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, list)
                            .get())
                    .isEmpty();
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, map)
                            .isEmpty())
                    .isTrue();
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, reducing)
                            .get())
                    .isNull();
            assertThat(backend.getPartitionedState(namespace, Serializers.LONG, aggregating)
                            .get())
                    .isNull();
        }
    }

    @Test
    void ttlStatesRecordTheNamespaceActuallySetAcrossCheckpoints() throws Exception {
        AllKinds kinds = new AllKinds(ttl().disableCleanupInBackground().build());
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        backend.setCurrentKey("k");
        kinds.write(backend, 1L, "in a", 1);
        kinds.write(backend, 2L, "in b", 2);
        kinds.assertHolds(backend, 1L, "in a", 1);
        kinds.assertHolds(backend, 2L, "in b", 2);
        for (SnapshotOptions options : List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint())) {
            CheckpointableKeyedStateBackend<String> restored = backend(handles(snapshot(backend, options)));
            restored.setCurrentKey("k");
            kinds.assertHolds(restored, 2L, "in b", 2);
            kinds.assertHolds(restored, 1L, "in a", 1);
            kinds.assertEmpty(restored, 3L);
        }
    }

    @Test
    void aReadThatReturnsAnExpiredValueAlsoClearsIt() {
        AllKinds kinds = new AllKinds(
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build());
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        backend.setCurrentKey("k");
        kinds.write(backend, 1L, "old", 4);
        now.addAndGet(100);
        kinds.assertHolds(backend, 1L, "old", 4);
        kinds.assertEmpty(backend, 1L);
        assertThat(backend.numKeyValueStateEntries()).isZero();

        MapState<String, String> map = backend.getPartitionedState(1L, Serializers.LONG, kinds.map);
        map.put("a", "1");
        map.put("b", "2");
        now.addAndGet(100);
        List<String> seen = new ArrayList<>();
        map.entries().forEach(e -> seen.add(e.getKey() + "=" + e.getValue()));
        assertThat(seen)
                .as("expired entries are returned once, while iterating")
                .containsExactlyInAnyOrder("a=1", "b=2");
        assertThat(map.entries()).isEmpty();
        assertThat(backend.numKeyValueStateEntries()).isZero();
    }

    @Test
    void listReadsDropExpiredElementsOnlyWhenNoneIsLeftOrOnReadUpdates() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ListState<String> lenient = backend.getState(ttl(
                new ListStateDescriptor<>("lenient", Serializers.STRING),
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
        ListState<String> touched = backend.getState(ttl(
                new ListStateDescriptor<>("touched", Serializers.STRING),
                ttl().updateTtlOnReadAndWrite().disableCleanupInBackground().build()));
        backend.setCurrentKey("k");
        lenient.add("early");
        touched.add("early");
        now.addAndGet(60);
        lenient.add("late");
        touched.add("late");
        now.addAndGet(60);
        assertThat(lenient.get())
                .as("expired elements are visible while one is not")
                .containsExactly("early", "late");
        assertThat(lenient.get()).containsExactly("early", "late");
        assertThat(touched.get()).containsExactly("late");
        now.addAndGet(60);
        assertThat(touched.get())
                .as("the read refreshed 'late' and dropped 'early'")
                .containsExactly("late");
        assertThat(lenient.get()).as("all expired: returned once, then cleared").containsExactly("early", "late");
        assertThat(lenient.get()).isEmpty();
    }

    @Test
    void addsContinueAnExpiredValueOnlyWhileItIsVisible() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ReducingState<Long> lenient = backend.getState(ttl(
                new ReducingStateDescriptor<>("lenient", Long::sum, Serializers.LONG),
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
        ReducingState<Long> strict = backend.getState(ttl(
                new ReducingStateDescriptor<>("strict", Long::sum, Serializers.LONG),
                ttl().disableCleanupInBackground().build()));
        AggregatingState<Long, Double> lenientAverage = backend.getState(ttl(
                new AggregatingStateDescriptor<>(
                        "lenient-average",
                        new ReducingAndAggregatingStateConformance.Average(),
                        Serializers.LONG_ARRAY),
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
        backend.setCurrentKey("k");
        lenient.add(10L);
        strict.add(10L);
        lenientAverage.add(10L);
        now.addAndGet(100);
        lenient.add(5L);
        strict.add(5L);
        lenientAverage.add(20L);
        assertThat(lenient.get()).isEqualTo(15L);
        assertThat(strict.get()).isEqualTo(5L);
        assertThat(lenientAverage.get()).isEqualTo(15.0);
        now.addAndGet(99);
        assertThat(lenient.get()).as("the add refreshed the timestamp").isEqualTo(15L);
    }

    @Test
    void timeToLiveAndTimestampsNearLongMaxNeverOverflowIntoExpiry() throws Exception {
        StateTtlConfig forever = StateTtlConfig.newBuilder(Duration.ofMillis(Long.MAX_VALUE))
                .cleanupFullSnapshot()
                .cleanupIncrementally(10, false)
                .build();
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<String> state =
                backend.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), forever));
        ValueState<String> late = backend.getState(withTtl(
                new ValueStateDescriptor<>("late", Serializers.STRING),
                ttl().cleanupFullSnapshot().cleanupIncrementally(10, false).build()));
        backend.setCurrentKey("k");
        state.update("kept");
        now.set(Long.MAX_VALUE - 50);
        late.update("written near the end of time");
        now.set(Long.MAX_VALUE - 1);
        assertThat(state.value()).isEqualTo("kept");
        assertThat(late.value()).isEqualTo("written near the end of time");
        for (SnapshotOptions options : List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint())) {
            CheckpointableKeyedStateBackend<String> restored = backend(handles(snapshot(backend, options)));
            restored.setCurrentKey("k");
            assertThat(restored.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), forever))
                            .value())
                    .isEqualTo("kept");
            assertThat(restored.getState(withTtl(
                                    new ValueStateDescriptor<>("late", Serializers.STRING),
                                    ttl().cleanupFullSnapshot()
                                            .cleanupIncrementally(10, false)
                                            .build()))
                            .value())
                    .isEqualTo("written near the end of time");
        }
    }

    @Test
    void switchingTtlOnAcrossARestoreStampsValuesWithTheRegistrationTime() throws Exception {
        for (SnapshotOptions options : List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint())) {
            now.set(1_000);
            AllKinds plain = new AllKinds(null);
            CheckpointableKeyedStateBackend<String> backend = backend(List.of());
            backend.setCurrentKey("k");
            plain.write(backend, 1L, "v", 7);
            backend.getPartitionedState(1L, Serializers.LONG, plain.map).put("null", null);
            List<KeyedStateHandle> handles = handles(snapshot(backend, options));

            now.set(50_000);
            AllKinds withTtl = new AllKinds(ttl().disableCleanupInBackground().build());
            CheckpointableKeyedStateBackend<String> restored = backend(handles);
            restored.setCurrentKey("k");
            withTtl.assertHolds(restored, 1L, "v", 7);
            MapState<String, String> map = restored.getPartitionedState(1L, Serializers.LONG, withTtl.map);
            assertThat(map.contains("null")).isTrue();
            now.addAndGet(99);
            withTtl.assertHolds(restored, 1L, "v", 7);
            now.addAndGet(1);
            withTtl.assertEmpty(restored, 1L);
        }
    }

    @Test
    void switchingTtlOffAcrossARestoreDropsTimestamps() throws Exception {
        for (SnapshotOptions options : List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint())) {
            now.set(1_000);
            AllKinds withTtl = new AllKinds(ttl().disableCleanupInBackground().build());
            CheckpointableKeyedStateBackend<String> backend = backend(List.of());
            backend.setCurrentKey("k");
            withTtl.write(backend, 1L, "v", 7);
            backend.getPartitionedState(1L, Serializers.LONG, withTtl.map).put("null", null);
            List<KeyedStateHandle> handles = handles(snapshot(backend, options));

            AllKinds plain = new AllKinds(null);
            CheckpointableKeyedStateBackend<String> restored = backend(handles);
            now.addAndGet(1_000_000);
            restored.setCurrentKey("k");
            plain.assertHolds(restored, 1L, "v", 7);
            MapState<String, String> map = restored.getPartitionedState(1L, Serializers.LONG, plain.map);
            assertThat(map.contains("null")).isTrue();
            assertThat(map.get("null")).isNull();
            // And back: the state checkpointed without TTL again restores with it.
            List<KeyedStateHandle> again = handles(snapshot(restored, options));
            CheckpointableKeyedStateBackend<String> third = backend(again);
            third.setCurrentKey("k");
            withTtl.assertHolds(third, 1L, "v", 7);
        }
    }

    @Test
    void cleanupForEveryRecordRemovesExpiredStateWithoutAccessingIt() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<Long> state = backend.getState(withTtl(
                new ValueStateDescriptor<>("v", Serializers.LONG),
                ttl().cleanupIncrementally(10, true).build()));
        MapStateDescriptor<Integer, Long> mapDescriptor = ttl(
                new MapStateDescriptor<>("m", Serializers.INT, Serializers.LONG),
                ttl().cleanupIncrementally(10, true).build());
        MapState<Integer, Long> map = backend.getState(mapDescriptor);
        for (int i = 0; i < 300; i++) {
            backend.setCurrentKey("key" + i);
            state.update((long) i);
            map.put(i, (long) i);
            map.put(i + 1, (long) i);
        }
        assertThat(backend.numKeyValueStateEntries()).isEqualTo(600);
        now.addAndGet(200);
        for (int record = 0; record < 200 && backend.numKeyValueStateEntries() > 0; record++) {
            backend.setCurrentKey("record" + record); // a record arrives; its processing touches no TTL state
        }
        assertThat(backend.numKeyValueStateEntries()).isZero();
    }

    @Test
    void mapIterationUnderTtlWritesThrough() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        MapStateDescriptor<String, Long> descriptor = ttl(
                new MapStateDescriptor<>("m", Serializers.STRING, Serializers.LONG),
                ttl().disableCleanupInBackground().build());
        MapState<String, Long> map = backend.getState(descriptor);
        backend.setCurrentKey("k");
        map.put("a", 1L);
        map.put("b", 2L);
        map.put("c", 3L);
        now.addAndGet(60);
        for (var iterator = map.iterator(); iterator.hasNext(); ) {
            var entry = iterator.next();
            if (entry.getKey().equals("a")) {
                iterator.remove();
            } else if (entry.getKey().equals("b")) {
                entry.setValue(20L);
            }
        }
        for (var keys = map.keys().iterator(); keys.hasNext(); ) {
            if (keys.next().equals("c")) {
                keys.remove();
            }
        }
        now.addAndGet(60);
        assertThat(map.get("b"))
                .as("setValue wrote a new value with a new timestamp")
                .isEqualTo(20L);
        assertThat(map.contains("a")).isFalse();
        assertThat(map.contains("c")).isFalse();
        CheckpointableKeyedStateBackend<String> restored = backend(handles(snapshot(backend)));
        restored.setCurrentKey("k");
        MapState<String, Long> restoredMap = restored.getState(descriptor);
        assertThat(restoredMap.keys()).containsExactly("b");
    }

    @Test
    void mergingKeepsListTimestampsAndStampsReducedValuesWithTheMergeTime() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ListStateDescriptor<String> events = ttl(
                new ListStateDescriptor<>("events", Serializers.STRING),
                ttl().disableCleanupInBackground().build());
        ReducingStateDescriptor<Long> sum = ttl(
                new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG),
                ttl().disableCleanupInBackground().build());
        backend.setCurrentKey("k");
        backend.getPartitionedState(1L, Serializers.LONG, events).add("old");
        backend.getPartitionedState(1L, Serializers.LONG, sum).add(1L);
        now.addAndGet(60);
        backend.getPartitionedState(2L, Serializers.LONG, events).add("young");
        backend.getPartitionedState(2L, Serializers.LONG, sum).add(2L);
        ((dev.cairn.state.spi.InternalMergingState<Long>) backend.getPartitionedState(3L, Serializers.LONG, events))
                .mergeNamespaces(3L, List.of(1L, 2L));
        ((dev.cairn.state.spi.InternalMergingState<Long>) backend.getPartitionedState(3L, Serializers.LONG, sum))
                .mergeNamespaces(3L, List.of(1L, 2L));
        now.addAndGet(60);
        assertThat(backend.getPartitionedState(3L, Serializers.LONG, events).get())
                .containsExactly("young");
        assertThat(backend.getPartitionedState(3L, Serializers.LONG, sum).get())
                .as("reduced at the merge, 60 ms ago")
                .isEqualTo(3L);
    }
}

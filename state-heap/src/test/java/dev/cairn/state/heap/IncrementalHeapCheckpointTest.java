package dev.cairn.state.heap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendTestBase;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.IncrementalHeapStateHandle.ChainFile;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;
import org.junit.jupiter.api.Test;

/**
 * What incremental heap checkpoints promise beyond the conformance suite: a checkpoint carries only what changed
 * since the last completed one and reuses the earlier files, a failed, aborted or concurrent checkpoint never loses
 * a change, chains stay bounded, and state moves between incremental and full backends both ways.
 */
class IncrementalHeapCheckpointTest extends StateBackendTestBase {
    private static final int KEYS = 10_000;
    private final ValueStateDescriptor<Long> counts = new ValueStateDescriptor<>("counts", Serializers.LONG);
    private long checkpointId;

    @Override
    protected BackendFixture fixture() {
        return () -> new HashMapStateBackend(true);
    }

    private CheckpointableKeyedStateBackend<String> backendWith(HashMapStateBackend backend) {
        stateBackend = backend;
        return createBackend();
    }

    private static void put(CheckpointableKeyedStateBackend<String> backend, int from, int to, long value) {
        ValueState<Long> state = backend.getState(new ValueStateDescriptor<>("counts", Serializers.LONG));
        for (int key = from; key < to; key++) {
            backend.setCurrentKey("key" + key);
            state.update(value + key);
        }
    }

    private Map<String, Long> contents(CheckpointableKeyedStateBackend<String> backend) {
        ValueState<Long> state = backend.getState(counts);
        Map<String, Long> values = new HashMap<>();
        backend.getKeys("counts", dev.cairn.state.VoidNamespace.INSTANCE)
                .toList()
                .forEach(key -> {
                    backend.setCurrentKey(key);
                    values.put(key, state.value());
                });
        return values;
    }

    private static Map<String, Long> expected(int keys, long value) {
        return expected(0, keys, value);
    }

    /** What {@link #put} writes for keys {@code from} (inclusive) to {@code to}. */
    private static Map<String, Long> expected(int from, int to, long value) {
        Map<String, Long> values = new HashMap<>();
        for (int key = from; key < to; key++) {
            values.put("key" + key, value + key);
        }
        return values;
    }

    /** Both parts of checkpoint {@code ++checkpointId}, without a completion notification. */
    private IncrementalHeapStateHandle write(CheckpointableKeyedStateBackend<String> backend) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = start(backend);
        future.run();
        return (IncrementalHeapStateHandle) future.get().getHandle();
    }

    private RunnableFuture<SnapshotResult<KeyedStateHandle>> start(CheckpointableKeyedStateBackend<String> backend)
            throws Exception {
        return backend.snapshot(++checkpointId, 0, streamFactory, SnapshotOptions.checkpoint());
    }

    private IncrementalHeapStateHandle completed(CheckpointableKeyedStateBackend<String> backend) throws Exception {
        IncrementalHeapStateHandle handle = write(backend);
        backend.notifyCheckpointComplete(checkpointId);
        return handle;
    }

    private static List<Long> checkpointsOf(IncrementalHeapStateHandle handle) {
        return handle.getFiles().stream().map(ChainFile::checkpointId).toList();
    }

    @Test
    void aCheckpointCarriesOnlyTheChangesSinceTheLastCompletedOneAndReusesItsFile() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        put(backend, 0, KEYS, 0);
        IncrementalHeapStateHandle full = completed(backend);
        put(backend, 0, KEYS / 100, 1_000_000); // 1% of the keys

        IncrementalHeapStateHandle delta = completed(backend);

        assertThat(delta.getCheckpointedSize()).isLessThan(full.getCheckpointedSize() / 25);
        assertThat(checkpointsOf(delta)).containsExactly(1L, 2L);
        assertThat(delta.getFiles().get(0)).isEqualTo(full.getFiles().get(0));
        Map<String, Long> expected = expected(KEYS, 0);
        expected.putAll(expected(KEYS / 100, 1_000_000));
        assertThat(contents(restoreBackend(List.of(delta)))).isEqualTo(expected);
    }

    @Test
    void nothingChangedMeansNoNewFileAndReadsAreNoChanges() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        put(backend, 0, 100, 0);
        ListState<String> list = backend.getState(new ListStateDescriptor<>("list", Serializers.STRING));
        MapState<String, Long> map =
                backend.getState(new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG));
        backend.setCurrentKey("key1");
        list.add("a");
        map.put("x", 1L);
        IncrementalHeapStateHandle first = completed(backend);
        backend.setCurrentKey("key1");
        assertThat(list.get()).containsExactly("a");
        assertThat(map.get("x")).isEqualTo(1L);
        assertThat(contents(backend)).hasSize(100);

        IncrementalHeapStateHandle second = completed(backend);

        assertThat(second.getCheckpointedSize()).isZero();
        assertThat(second.getFiles()).isEqualTo(first.getFiles());
    }

    @Test
    void removalsAndInPlaceChangesOfListsMapsAndTimersSurviveADelta() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> value = backend.getState(counts);
        ListState<String> list = backend.getState(new ListStateDescriptor<>("list", Serializers.STRING));
        MapState<String, Long> map =
                backend.getState(new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG));
        KeyGroupedTimerQueue<String, Long> timers = backend.createTimerQueue("timers", Serializers.LONG);
        for (int key = 0; key < 50; key++) {
            backend.setCurrentKey("key" + key);
            value.update((long) key);
            list.add("first");
            map.put("a", 1L);
            map.put("b", 2L);
            timers.add(new Timer<>("key" + key, 0L, 100 + key));
        }
        completed(backend);
        for (int key = 0; key < 50; key += 2) {
            backend.setCurrentKey("key" + key);
            value.clear();
            list.add("second"); // appended in place: no put
            map.remove("a"); // removed in place
            map.put("c", 3L);
            timers.remove(new Timer<>("key" + key, 0L, 100 + key));
        }
        backend.setCurrentKey("key1");
        map.clear();
        backend.setCurrentKey("key3");
        value.clear();
        value.update(-3L); // removed, then written again before the checkpoint

        IncrementalHeapStateHandle delta = completed(backend);
        assertThat(checkpointsOf(delta)).containsExactly(1L, 2L);

        CheckpointableKeyedStateBackend<String> restored = restoreBackend(List.of(delta));
        ValueState<Long> restoredValue = restored.getState(counts);
        ListState<String> restoredList = restored.getState(new ListStateDescriptor<>("list", Serializers.STRING));
        MapState<String, Long> restoredMap =
                restored.getState(new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG));
        KeyGroupedTimerQueue<String, Long> restoredTimers = restored.createTimerQueue("timers", Serializers.LONG);
        List<Timer<String, Long>> remaining = new ArrayList<>();
        for (Timer<String, Long> timer = restoredTimers.poll(); timer != null; timer = restoredTimers.poll()) {
            remaining.add(timer);
        }
        assertThat(remaining)
                .hasSize(25)
                .allMatch(timer -> Integer.parseInt(timer.key().substring(3)) % 2 == 1);
        for (int key = 0; key < 50; key++) {
            restored.setCurrentKey("key" + key);
            boolean changed = key % 2 == 0;
            assertThat(restoredValue.value())
                    .isEqualTo(changed ? null : key == 3 ? Long.valueOf(-3) : Long.valueOf(key));
            assertThat(restoredList.get())
                    .containsExactlyElementsOf(changed ? List.of("first", "second") : List.of("first"));
            Map<String, Long> expectedMap =
                    changed ? Map.of("b", 2L, "c", 3L) : key == 1 ? Map.of() : Map.of("a", 1L, "b", 2L);
            Map<String, Long> actualMap = new HashMap<>();
            restoredMap.entries().forEach(entry -> actualMap.put(entry.getKey(), entry.getValue()));
            assertThat(actualMap).as("map of key%d", key).isEqualTo(expectedMap);
        }
    }

    @Test
    void changesOfAnAbortedOrNeverCompletedCheckpointAreInTheNextDelta() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        put(backend, 0, 1000, 0);
        completed(backend);
        put(backend, 0, 10, 100_000);
        IncrementalHeapStateHandle aborted = write(backend);
        backend.notifyCheckpointAborted(checkpointId);
        put(backend, 10, 20, 200_000);
        write(backend); // fails later: never completed
        put(backend, 20, 30, 300_000);

        IncrementalHeapStateHandle next = completed(backend);

        assertThat(checkpointsOf(aborted)).containsExactly(1L, 2L);
        assertThat(checkpointsOf(next)).containsExactly(1L, 4L);
        Map<String, Long> expected = expected(1000, 0);
        expected.putAll(expected(10, 100_000));
        expected.putAll(expected(10, 20, 200_000));
        expected.putAll(expected(20, 30, 300_000));
        assertThat(contents(restoreBackend(List.of(next)))).isEqualTo(expected);
    }

    @Test
    void concurrentCheckpointsEachHoldTheirMomentAndALateCompletionIsNotBuiltOn() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        put(backend, 0, 1000, 0);
        completed(backend);
        put(backend, 0, 10, 10_000);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> second = start(backend);
        put(backend, 10, 20, 20_000);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> third = start(backend);
        put(backend, 20, 30, 30_000); // after both: in neither
        third.run();
        second.run();
        backend.notifyCheckpointComplete(3);
        backend.notifyCheckpointComplete(2); // subsumed: arrives after the later one

        IncrementalHeapStateHandle fourth = completed(backend);

        Map<String, Long> atSecond = expected(1000, 0);
        atSecond.putAll(expected(10, 10_000));
        Map<String, Long> atThird = new HashMap<>(atSecond);
        atThird.putAll(expected(10, 20, 20_000));
        assertThat(contents(restoreBackend(List.of(second.get().getHandle())))).isEqualTo(atSecond);
        assertThat(contents(restoreBackend(List.of(third.get().getHandle())))).isEqualTo(atThird);
        assertThat(checkpointsOf((IncrementalHeapStateHandle) third.get().getHandle()))
                .containsExactly(1L, 3L);
        assertThat(checkpointsOf(fourth)).containsExactly(1L, 3L, 4L);
        assertThat(contents(restoreBackend(List.of(fourth)))).isEqualTo(contents(backend));
    }

    @Test
    void chainsNeverGrowBeyondTheLengthLimit() throws Exception {
        CheckpointableKeyedStateBackend<String> backend =
                backendWith(new HashMapStateBackend(true).withChainLimits(4, 1000));
        put(backend, 0, 2000, 0);
        IncrementalHeapStateHandle handle = completed(backend);
        for (int round = 1; round <= 12; round++) {
            put(backend, 0, 2000, round * 10_000L); // every key group changes every time
            handle = completed(backend);
            for (int keyGroup : handle.getKeyGroupRange()) {
                assertThat(handle.chainLength(keyGroup)).isLessThanOrEqualTo(4);
            }
            assertThat(handle.getFiles()).hasSizeLessThanOrEqualTo(5);
        }
        assertThat(contents(restoreBackend(List.of(handle)))).isEqualTo(expected(2000, 120_000));
    }

    @Test
    void aKeyGroupGetsANewBaseOnceItsDeltasOutweighTheRatio() throws Exception {
        CheckpointableKeyedStateBackend<String> backend =
                backendWith(new HashMapStateBackend(true).withChainLimits(100, 0.5));
        put(backend, 0, 2000, 0);
        completed(backend);
        put(backend, 0, 2000, 1); // all keys: a delta as large as the base
        IncrementalHeapStateHandle delta = completed(backend);
        assertThat(checkpointsOf(delta)).containsExactly(1L, 2L);

        put(backend, 0, 10, 2);
        IncrementalHeapStateHandle rebased = completed(backend);

        assertThat(checkpointsOf(rebased)).containsExactly(3L);
        assertThat(rebased.getCheckpointedSize()).isGreaterThan(delta.getCheckpointedSize() / 2);
        Map<String, Long> expected = expected(2000, 1);
        expected.putAll(expected(10, 2));
        assertThat(contents(restoreBackend(List.of(rebased)))).isEqualTo(expected);
    }

    @Test
    void stateMovesBetweenIncrementalAndFullBackendsBothWays() throws Exception {
        CheckpointableKeyedStateBackend<String> incremental = createBackend();
        put(incremental, 0, 500, 0);
        completed(incremental);
        put(incremental, 0, 50, 7);
        KeyedStateHandle chains = completed(incremental);

        stateBackend = new HashMapStateBackend(false);
        CheckpointableKeyedStateBackend<String> full = restoreBackend(List.of(chains));
        Map<String, Long> expected = expected(500, 0);
        expected.putAll(expected(50, 7));
        assertThat(contents(full)).isEqualTo(expected);
        put(full, 500, 600, 0);
        KeyedStateHandle canonical = snapshot(full);
        assertThat(canonical).isInstanceOf(KeyGroupsStateHandle.class);

        stateBackend = new HashMapStateBackend(true);
        CheckpointableKeyedStateBackend<String> again = restoreBackend(List.of(canonical));
        IncrementalHeapStateHandle first = completed(again);
        assertThat(checkpointsOf(first))
                .as("the first checkpoint after a restore is full")
                .hasSize(1);
        expected.putAll(expected(600, 0));
        expected.putAll(expected(50, 7));
        assertThat(contents(restoreBackend(List.of(first)))).isEqualTo(expected);
    }

    @Test
    void savepointsStayCanonicalAndARescaledRestoreKeepsOnlyItsKeyGroupsChains() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        put(backend, 0, 1000, 0);
        completed(backend);
        put(backend, 0, 1, 5); // one key: one key group's delta
        IncrementalHeapStateHandle handle = completed(backend);

        assertThat(snapshot(backend, SnapshotOptions.savepoint())).isInstanceOf(KeyGroupsStateHandle.class);
        int changedKeyGroup = dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup("key0", MAX_PARALLELISM);
        KeyGroupRange other = changedKeyGroup < MAX_PARALLELISM / 2
                ? KeyGroupRange.of(MAX_PARALLELISM / 2, MAX_PARALLELISM - 1)
                : KeyGroupRange.of(0, MAX_PARALLELISM / 2 - 1);
        IncrementalHeapStateHandle half = (IncrementalHeapStateHandle) handle.getIntersection(other);
        assertThat(checkpointsOf(half))
                .as("the delta file holds nothing for these key groups")
                .containsExactly(1L);
        Map<String, Long> all = contents(backend);
        Map<String, Long> expected = new HashMap<>();
        all.forEach((key, value) -> {
            if (other.contains(dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM))) {
                expected.put(key, value);
            }
        });
        assertThat(contents(restoreBackend(Serializers.STRING, List.of(half), other)))
                .isEqualTo(expected);
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RunnableFuture;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Snapshots hold exactly the state at the time they start and restore into an equal backend. */
public abstract class SnapshotRestoreConformance extends StateBackendTestBase {
    private final ValueStateDescriptor<String> value = new ValueStateDescriptor<>("value", Serializers.STRING);
    private final ListStateDescriptor<Integer> list = new ListStateDescriptor<>("list", Serializers.INT);
    private final MapStateDescriptor<String, Double> map =
            new MapStateDescriptor<>("map", Serializers.STRING, Serializers.DOUBLE);
    private final ReducingStateDescriptor<Long> reducing =
            new ReducingStateDescriptor<>("reducing", Math::max, Serializers.LONG);
    private final AggregatingStateDescriptor<Long, long[], Double> aggregating = new AggregatingStateDescriptor<>(
            "aggregating", new ReducingAndAggregatingStateConformance.Average(), Serializers.LONG_ARRAY);

    private void fill(CheckpointableKeyedStateBackend<String> backend, int keys) {
        for (int i = 0; i < keys; i++) {
            backend.setCurrentKey("key" + i);
            backend.getState(value).update("v" + i);
            backend.getState(list).addAll(List.of(i, i + 1));
            backend.getState(map).put("m" + i, i / 2.0);
            backend.getState(reducing).add((long) i);
            backend.getState(aggregating).add((long) i);
            backend.getPartitionedState(
                            "ns-" + (i % 4), Serializers.STRING, new ListStateDescriptor<>("windowed", Serializers.INT))
                    .add(i);
        }
    }

    private void verify(CheckpointableKeyedStateBackend<String> backend, int keys) {
        for (int i = 0; i < keys; i++) {
            backend.setCurrentKey("key" + i);
            assertThat(backend.getState(value).value()).isEqualTo("v" + i);
            assertThat(backend.getState(list).get()).containsExactly(i, i + 1);
            assertThat(backend.getState(map).entries()).containsExactly(entry("m" + i, i / 2.0));
            assertThat(backend.getState(reducing).get()).isEqualTo(i);
            assertThat(backend.getState(aggregating).get()).isEqualTo((double) i);
            assertThat(backend.getPartitionedState(
                                    "ns-" + (i % 4),
                                    Serializers.STRING,
                                    new ListStateDescriptor<>("windowed", Serializers.INT))
                            .get())
                    .containsExactly(i);
        }
        assertThat(backend.numKeyValueStateEntries()).isEqualTo(keys * 6);
    }

    @Test
    void everyStateTypeRoundTrips() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        fill(backend, 300);
        verify(snapshotAndRestore(backend), 300);
    }

    @Test
    void savepointsRoundTripToo() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        fill(backend, 50);
        verify(restoreBackend(handles(snapshot(backend, SnapshotOptions.savepoint()))), 50);
    }

    @Test
    void snapshotOfAnEmptyBackendRestoresEmpty() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        assertThat(restored.numKeyValueStateEntries()).isZero();
        backend.getState(value);
        assertThat(snapshotAndRestore(backend).numKeyValueStateEntries()).isZero();
    }

    @Test
    void writesAfterTheSynchronousPartAreNotInTheSnapshot() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        fill(backend, 100);
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = startSnapshot(backend, SnapshotOptions.checkpoint());
        for (int i = 0; i < 100; i++) {
            backend.setCurrentKey("key" + i);
            backend.getState(value).update("changed");
            backend.getState(list).add(-1);
            backend.getState(map).remove("m" + i);
            backend.getState(reducing).add(1_000_000L);
            backend.getState(aggregating).add(1_000_000L);
        }
        for (int i = 100; i < 200; i++) {
            backend.setCurrentKey("key" + i);
            backend.getState(value).update("new");
        }
        future.run();
        verify(restoreBackend(handles(future.get().getHandle())), 100);
        backend.setCurrentKey("key3");
        assertThat(backend.getState(value).value()).isEqualTo("changed");
        assertThat(backend.getState(list).get()).containsExactly(3, 4, -1);
    }

    @Test
    void stateNotAccessedAfterRestoreSurvivesTheNextSnapshot() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        fill(backend, 20);
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        restored.setCurrentKey("key1");
        restored.getState(value).update("touched");
        CheckpointableKeyedStateBackend<String> again = snapshotAndRestore(restored);
        again.setCurrentKey("key1");
        assertThat(again.getState(value).value()).isEqualTo("touched");
        again.setCurrentKey("key2");
        assertThat(again.getState(list).get()).containsExactly(2, 3);
        assertThat(again.getState(map).get("m2")).isEqualTo(1.0);
    }

    @Test
    void severalSnapshotsCanBePendingAndCompleteInAnyOrder() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<String> state = backend.getState(value);
        backend.setCurrentKey("k");
        state.update("one");
        RunnableFuture<SnapshotResult<KeyedStateHandle>> first = startSnapshot(backend, SnapshotOptions.checkpoint());
        state.update("two");
        RunnableFuture<SnapshotResult<KeyedStateHandle>> second = startSnapshot(backend, SnapshotOptions.checkpoint());
        state.update("three");
        RunnableFuture<SnapshotResult<KeyedStateHandle>> third = startSnapshot(backend, SnapshotOptions.checkpoint());
        third.cancel(true);
        second.run();
        state.update("four");
        first.run();
        Assertions.assertThatThrownBy(third::get).isInstanceOf(CancellationException.class);
        for (var expectation : List.of(List.of(first, "one"), List.of(second, "two"))) {
            @SuppressWarnings("unchecked")
            RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                    (RunnableFuture<SnapshotResult<KeyedStateHandle>>) expectation.get(0);
            CheckpointableKeyedStateBackend<String> restored =
                    restoreBackend(handles(future.get().getHandle()));
            restored.setCurrentKey("k");
            assertThat(restored.getState(value).value()).isEqualTo(expectation.get(1));
        }
        assertThat(state.value()).isEqualTo("four");
    }

    @Test
    void restoreFromSeveralHandlesMergesThem() throws Exception {
        CheckpointableKeyedStateBackend<String> left = restoreBackend(Serializers.STRING, List.of(), rangeOf(0, 2));
        CheckpointableKeyedStateBackend<String> right = restoreBackend(Serializers.STRING, List.of(), rangeOf(1, 2));
        for (int i = 0; i < 100; i++) {
            String key = "key" + i;
            CheckpointableKeyedStateBackend<String> owner = ownerOf(key, 2) == 0 ? left : right;
            owner.setCurrentKey(key);
            owner.getState(value).update("v" + i);
        }
        CheckpointableKeyedStateBackend<String> merged = restoreBackend(List.of(snapshot(left), snapshot(right)));
        for (int i = 0; i < 100; i++) {
            merged.setCurrentKey("key" + i);
            assertThat(merged.getState(value).value()).isEqualTo("v" + i);
        }
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ReducingState;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import org.junit.jupiter.api.Test;

/** The {@link ReducingState} and {@link AggregatingState} contracts. */
public abstract class ReducingAndAggregatingStateConformance extends StateBackendTestBase {
    private final ReducingStateDescriptor<Long> sum = new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG);

    /** Average of longs; the accumulator is a mutable {@code long[]{sum, count}}. */
    static final class Average implements AggregateFunction<Long, long[], Double> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long value, long[] accumulator) {
            accumulator[0] += value;
            accumulator[1]++;
            return accumulator;
        }

        @Override
        public Double getResult(long[] accumulator) {
            return accumulator[1] == 0 ? 0.0 : (double) accumulator[0] / accumulator[1];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }
    }

    private final AggregatingStateDescriptor<Long, long[], Double> average =
            new AggregatingStateDescriptor<>("average", new Average(), Serializers.LONG_ARRAY);

    @Test
    void reducingStateFoldsAddedValues() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ReducingState<Long> state = backend.getState(sum);
        backend.setCurrentKey("a");
        assertThat(state.get()).isNull();
        state.add(1L);
        state.add(2L);
        state.add(39L);
        assertThat(state.get()).isEqualTo(42L);
        backend.setCurrentKey("b");
        assertThat(state.get()).isNull();
    }

    @Test
    void reducingStateAddNullAndClearEmptyIt() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ReducingState<Long> state = backend.getState(sum);
        backend.setCurrentKey("a");
        state.add(5L);
        state.add(null);
        assertThat(state.get()).isNull();
        state.add(5L);
        state.clear();
        assertThat(state.get()).isNull();
        state.add(7L);
        assertThat(state.get()).isEqualTo(7L);
    }

    @Test
    void aggregatingStateKeepsTheAccumulator() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        AggregatingState<Long, Double> state = backend.getState(average);
        backend.setCurrentKey("a");
        assertThat(state.get()).isNull();
        state.add(1L);
        state.add(2L);
        state.add(6L);
        assertThat(state.get()).isEqualTo(3.0);

        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        AggregatingState<Long, Double> restoredState = restored.getState(average);
        restored.setCurrentKey("a");
        restoredState.add(11L);
        assertThat(restoredState.get()).isEqualTo(5.0);
        state.add(3L);
        assertThat(state.get()).isEqualTo(3.0);
    }

    @Test
    void aggregatingStateAddNullAndClearEmptyIt() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        AggregatingState<Long, Double> state = backend.getState(average);
        backend.setCurrentKey("a");
        state.add(4L);
        state.add(null);
        assertThat(state.get()).isNull();
        state.add(4L);
        state.clear();
        assertThat(state.get()).isNull();
    }

    @Test
    void mutatingReduceFunctionDoesNotLeakIntoARunningSnapshot() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        AggregatingState<Long, Double> state = backend.getState(average);
        backend.setCurrentKey("a");
        state.add(10L);
        var future = startSnapshot(backend, dev.cairn.state.spi.SnapshotOptions.checkpoint());
        state.add(20L); // mutates the long[] accumulator in place
        future.run();
        CheckpointableKeyedStateBackend<String> restored =
                restoreBackend(handles(future.get().getHandle()));
        restored.setCurrentKey("a");
        assertThat(restored.getState(average).get()).isEqualTo(10.0);
        assertThat(state.get()).isEqualTo(15.0);
    }
}

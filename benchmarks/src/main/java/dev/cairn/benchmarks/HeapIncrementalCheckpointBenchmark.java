package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.util.SplittableRandom;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Incremental against full heap checkpoints of {@code entries} {@code ValueState<Long>} entries with
 * {@code updatedPercent} of the keys (uniformly random) updated between checkpoints: the checkpoint (both parts,
 * into memory, then the completion notification) with counters {@code bytesWritten} and {@code checkpoints}
 * (their quotient: bytes per checkpoint) and the synchronous part. Restores: {@link HeapIncrementalRestoreBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HeapIncrementalCheckpointBenchmark {
    @Param({"1000000"})
    public int entries;

    @Param({"1"})
    public int updatedPercent;

    /**
     * {@code full}: canonical snapshots; {@code incremental}: deltas with the default chain limits (new bases
     * included: the amortized cost); {@code delta-only}: chains never rebased, so every measured checkpoint is a
     * pure delta.
     */
    @Param({"full", "incremental", "delta-only"})
    public String mode;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private final SplittableRandom random = new SplittableRandom(42);
    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private long checkpointId;
    private long value;

    /** Bytes the measured checkpoints wrote (their own files) and how many there were: divide for bytes each. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Written {
        public long bytesWritten;
        public long checkpoints;
    }

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = create();
        state = backend.getState(descriptor);
        for (long key = 0; key < entries; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        checkpoint(); // the first, full one: measured checkpoints build on it
    }

    private CheckpointableKeyedStateBackend<Long> create() {
        HashMapStateBackend heap = switch (mode) {
            case "full" -> new HashMapStateBackend(false);
            case "incremental" -> new HashMapStateBackend(true);
            case "delta-only" -> new HashMapStateBackend(true).withChainLimits(Integer.MAX_VALUE, 1e9);
            default -> throw new IllegalArgumentException("mode must be full, incremental or delta-only: " + mode);
        };
        return heap.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.LONG).build());
    }

    private void update() {
        int updates = (int) ((long) entries * updatedPercent / 100);
        value++;
        for (int i = 0; i < updates; i++) {
            backend.setCurrentKey((long) random.nextInt(entries));
            state.update(value);
        }
    }

    private KeyedStateHandle checkpoint() throws Exception {
        long id = ++checkpointId;
        KeyedStateHandle handle = backend.snapshotNow(
                        id, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                .getHandle();
        backend.notifyCheckpointComplete(id);
        return handle;
    }

    /**
     * The updates between two checkpoints, not measured; a state of its own so that only
     * {@link #checkpointAfterUpdates} pays for them (a per-invocation setup would also disturb
     * {@link #synchronousPart}).
     */
    @State(Scope.Thread)
    public static class Updates {
        @Setup(Level.Invocation)
        public void updateBetweenCheckpoints(HeapIncrementalCheckpointBenchmark benchmark) {
            benchmark.update();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    /** A checkpoint after {@code updatedPercent} of the keys changed: both parts and the completion. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object checkpointAfterUpdates(Updates updates, Written written) throws Exception {
        KeyedStateHandle handle = checkpoint();
        written.bytesWritten += handle.getCheckpointedSize();
        written.checkpoints++;
        return handle;
    }

    /** The task-thread pause: start a checkpoint, then cancel it. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object synchronousPart() throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                backend.snapshot(++checkpointId, 0, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint());
        future.cancel(false);
        return future;
    }
}

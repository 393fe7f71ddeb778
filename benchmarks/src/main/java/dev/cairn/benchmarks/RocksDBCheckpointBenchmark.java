package dev.cairn.benchmarks;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Checkpoints of a RocksDB backend holding {@code keys} {@code ValueState<Long>} entries, with
 * {@code updatedFraction} of the keys updated before each checkpoint, written to a {@code filesystem} checkpoint
 * storage on the local disk with two retained checkpoints. Each measured operation is one whole checkpoint
 * (synchronous part, parallel upload, metadata); the auxiliary counters give, per checkpoint, the bytes it
 * uploaded ({@code uploadedBytes}: the delta for incremental checkpoints), the full state size
 * ({@code stateBytes}) and the task thread's pause ({@code syncPauseMicros}), summed over the measured checkpoints
 * (divide by the iteration count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
public class RocksDBCheckpointBenchmark {
    @Param({"1000000"})
    public int keys;

    /** {@code full} or {@code incremental} native checkpoints, or canonical {@code savepoint}s for comparison. */
    @Param({"full", "incremental", "savepoint"})
    public String mode;

    @Param({"0.01"})
    public double updatedFraction;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private final Random random = new Random(42);
    private final AtomicLong lastSyncPauseMicros = new AtomicLong();
    private Path directory;
    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private CheckpointCoordinator coordinator;
    private long round;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("cairn-checkpoint-bench");
        backend = new EmbeddedRocksDBStateBackend(mode.equals("incremental"))
                .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .operatorIdentifier("bench")
                        .build());
        state = backend.getState(descriptor);
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        coordinator = BenchmarkSupport.checkpointCoordinator(directory, 2, lastSyncPauseMicros);
        coordinator.registerKeyedBackend("bench", backend);
        coordinator.triggerCheckpoint().get(); // the first checkpoint uploads everything in both modes
    }

    @Setup(Level.Iteration)
    public void updateSomeKeys() {
        round++;
        int updates = (int) (keys * updatedFraction);
        for (int i = 0; i < updates; i++) {
            backend.setCurrentKey((long) random.nextInt(keys));
            state.update(round);
        }
    }

    @Benchmark
    public CompletedCheckpoint checkpoint(CheckpointFigures figures) throws Exception {
        CompletedCheckpoint checkpoint = mode.equals("savepoint")
                ? coordinator.triggerSavepoint(null).get()
                : coordinator.triggerCheckpoint().get();
        figures.add(checkpoint, lastSyncPauseMicros.get());
        return checkpoint;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coordinator.close();
        backend.close();
        BenchmarkSupport.deleteRecursively(directory);
    }
}

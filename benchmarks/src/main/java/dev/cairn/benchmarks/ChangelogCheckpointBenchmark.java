package dev.cairn.benchmarks;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.StateBackend;
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
 * Checkpoint duration of a write-heavy job with and without the changelog: {@code keys} {@code ValueState<Long>}
 * entries, {@code updatesPerCheckpoint} random updates before each checkpoint, 50 measured checkpoints (JMH
 * prints their percentiles), file-system checkpoint and changelog storage on the local disk. Without changelog the
 * heap backend takes full snapshots and RocksDB incremental checkpoints; with it, materialization runs every
 * {@code materializeEvery}. Auxiliary counters (totals over the measured checkpoints): {@code uploadedBytes}
 * (checkpointed size) and {@code syncPauseMicros}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 5)
@Measurement(iterations = 50)
public class ChangelogCheckpointBenchmark {
    @Param({"hashmap", "rocksdb"})
    public String backendType;

    @Param({"false", "true"})
    public boolean changelog;

    @Param({"1000000"})
    public int keys;

    @Param({"20000"})
    public int updatesPerCheckpoint;

    @Param({"5s"})
    public String materializeEvery;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private final Random random = new Random(11);
    private final AtomicLong lastSyncPauseMicros = new AtomicLong();
    private Path directory;
    private FsStateChangelogStorage changelogStorage;
    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private CheckpointCoordinator coordinator;
    private long round;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("cairn-changelog-bench");
        StateBackend inner =
                backendType.equals("rocksdb") ? new EmbeddedRocksDBStateBackend(true) : new HashMapStateBackend();
        StateBackend stateBackend = inner;
        if (changelog) {
            Configuration config = new Configuration()
                    .setString(
                            StateChangelogOptions.BASE_PATH.key(),
                            directory.resolve("changelog").toString())
                    .setString(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL.key(), materializeEvery);
            changelogStorage = FsStateChangelogStorage.fromConfig(config);
            stateBackend = new ChangelogStateBackend(
                    inner, changelogStorage, ChangelogStateBackend.Settings.fromConfig(config));
        }
        backend = stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                .operatorIdentifier("bench")
                .build());
        state = backend.getState(descriptor);
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        coordinator = BenchmarkSupport.checkpointCoordinator(directory, 1, lastSyncPauseMicros);
        coordinator.registerKeyedBackend("bench", backend);
        coordinator.triggerCheckpoint().get();
    }

    @Setup(Level.Iteration)
    public void write() {
        round++;
        for (int i = 0; i < updatesPerCheckpoint; i++) {
            backend.setCurrentKey((long) random.nextInt(keys));
            state.update(round);
        }
    }

    @Benchmark
    public CompletedCheckpoint checkpoint(CheckpointFigures figures) throws Exception {
        CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
        figures.add(checkpoint, lastSyncPauseMicros.get());
        return checkpoint;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        coordinator.close();
        backend.close();
        if (changelogStorage != null) {
            changelogStorage.close();
        }
        BenchmarkSupport.deleteRecursively(directory);
    }
}

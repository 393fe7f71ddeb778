package dev.cairn.benchmarks;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.changelog.internal.ChangelogKeyedStateBackend;
import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Recovery time of the changelog backend against the length of the changelog: {@code keys} entries materialized,
 * then {@code changes} updates of {@code changedKeys} of them recorded after the materialization, one checkpoint;
 * one operation restores a new backend from it (materialized snapshot + replay of the changes; file-system storages
 * on the local disk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2)
@Measurement(iterations = 6)
public class ChangelogRecoveryBenchmark {
    @Param({"hashmap", "rocksdb"})
    public String backendType;

    @Param({"1000000"})
    public int keys;

    @Param({"0", "100000", "1000000"})
    public int changes;

    /**
     * The changes update keys drawn from {@code [0, changedKeys)}: all keys by default; fewer for the hot keys of a
     * typical changelog (counters, windows), where one key is updated many times between materializations.
     */
    @Param({"1000000"})
    public int changedKeys;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private Path directory;
    private FsStateChangelogStorage storage;
    private ChangelogStateBackend stateBackend;
    private List<KeyedStateHandle> handles;
    private CheckpointableKeyedStateBackend<Long> restored;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("cairn-changelog-recovery");
        Configuration config = new Configuration()
                .setString(
                        StateChangelogOptions.BASE_PATH.key(),
                        directory.resolve("changelog").toString())
                .setString(StateChangelogOptions.PERIODIC_MATERIALIZATION_ENABLED.key(), "false");
        storage = FsStateChangelogStorage.fromConfig(config);
        StateBackend inner =
                backendType.equals("rocksdb") ? new EmbeddedRocksDBStateBackend(true) : new HashMapStateBackend();
        stateBackend = new ChangelogStateBackend(inner, storage, ChangelogStateBackend.Settings.fromConfig(config));
        CheckpointCoordinator coordinator = new CheckpointCoordinator(
                new FileSystemCheckpointStorage(
                                directory.resolve("checkpoints").toString(), null, 20 * 1024, 1 << 16, true)
                        .createAccess("bench"),
                new CheckpointCoordinator.Settings(1, 1),
                Runnable::run);
        try (ChangelogKeyedStateBackend<Long> backend = (ChangelogKeyedStateBackend<Long>)
                stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .operatorIdentifier("bench")
                        .build())) {
            coordinator.registerKeyedBackend("bench", backend);
            ValueState<Long> state = backend.getState(descriptor);
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                state.update(key);
            }
            backend.materialize();
            backend.runningMaterialization().get();
            coordinator.triggerCheckpoint().get(); // confirms the materialization, truncating the changelog
            Random random = new Random(3);
            for (int i = 0; i < changes; i++) {
                backend.setCurrentKey((long) random.nextInt(Math.min(changedKeys, keys)));
                state.update((long) i);
            }
            handles = coordinator.triggerCheckpoint().get().getKeyedState("bench");
        }
        coordinator.close();
    }

    @Benchmark
    public CheckpointableKeyedStateBackend<Long> restore() {
        restored = stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                .operatorIdentifier("bench")
                .restoreFrom(handles)
                .build());
        return restored;
    }

    @TearDown(Level.Invocation)
    public void closeRestored() {
        if (restored != null) {
            restored.close();
            restored = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
        BenchmarkSupport.deleteRecursively(directory);
    }
}

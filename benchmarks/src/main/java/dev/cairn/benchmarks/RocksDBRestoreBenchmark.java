package dev.cairn.benchmarks;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Restoring RocksDB from a checkpoint of {@code keys} {@code ValueState<Long>} entries taken by two instances
 * (key groups 0-63 and 64-127) into a {@code filesystem} storage on the local disk. Formats: a full native
 * checkpoint, an incremental one (after a few rounds of 1% updates, so it references files of earlier
 * checkpoints), and a canonical savepoint for comparison. Targets: {@code same} (instance 0 of 2: the database is
 * downloaded and opened), {@code scale-in} (one instance takes both halves: base plus a copy of the other half),
 * {@code scale-out} (instance 1 of 3, key groups 43-85: base clipped plus a copy from the other handle). One
 * operation is one restore, download included; closing the backend is not measured. {@code verifyChecksums}
 * compares restores that check every block of the restored files against RocksDB's checksums (the default) with
 * ones that do not (savepoints write a new database, so it makes no difference there).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 8)
public class RocksDBRestoreBenchmark {
    private static final int MAX_PARALLELISM = 128;

    @Param({"1000000"})
    public int keys;

    @Param({"full", "incremental", "savepoint"})
    public String format;

    @Param({"same", "scale-in", "scale-out"})
    public String target;

    /** {@code state.backend.rocksdb.restore.verify-checksums}: the cost of reading every restored block once. */
    @Param({"true", "false"})
    public boolean verifyChecksums;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private Path directory;
    private List<KeyedStateHandle> handles;
    private CheckpointableKeyedStateBackend<Long> restored;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("cairn-restore-bench");
        EmbeddedRocksDBStateBackend stateBackend = new EmbeddedRocksDBStateBackend(format.equals("incremental"));
        CheckpointCoordinator coordinator = new CheckpointCoordinator(
                new FileSystemCheckpointStorage(
                                directory.toString(),
                                directory.resolve("savepoints").toString(),
                                0,
                                1 << 16,
                                true)
                        .createAccess("bench"),
                new CheckpointCoordinator.Settings(2, 1),
                Runnable::run);
        List<CheckpointableKeyedStateBackend<Long>> instances = new ArrayList<>();
        for (int index = 0; index < 2; index++) {
            CheckpointableKeyedStateBackend<Long> instance =
                    stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                            .operatorIdentifier("bench")
                            .numberOfKeyGroups(MAX_PARALLELISM)
                            .instance(index, 2)
                            .build());
            instances.add(instance);
            coordinator.registerKeyedBackend("bench", instance);
        }
        Random random = new Random(7);
        for (int round = 0; round < 4; round++) {
            for (long i = 0; i < (round == 0 ? keys : keys / 100); i++) {
                long key = round == 0 ? i : random.nextInt(keys);
                CheckpointableKeyedStateBackend<Long> owner = ownerOf(instances, key);
                owner.setCurrentKey(key);
                owner.getState(descriptor).update(key + round);
            }
            coordinator.triggerCheckpoint().get();
        }
        CompletedCheckpoint snapshot = format.equals("savepoint")
                ? coordinator.triggerSavepoint(null).get()
                : coordinator.getLatestCompletedCheckpoint().orElseThrow();
        handles = snapshot.getKeyedState("bench");
        instances.forEach(CheckpointableKeyedStateBackend::close);
        coordinator.close();
    }

    private static CheckpointableKeyedStateBackend<Long> ownerOf(
            List<CheckpointableKeyedStateBackend<Long>> instances, long key) {
        for (CheckpointableKeyedStateBackend<Long> instance : instances) {
            KeyGroupRange range = instance.getKeyGroupRange();
            if (range.contains(
                    dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(key, instance.getNumberOfKeyGroups()))) {
                return instance;
            }
        }
        throw new IllegalStateException("no owner for " + key);
    }

    @Benchmark
    public CheckpointableKeyedStateBackend<Long> restore() {
        KeyedBackendParameters.Builder<Long> parameters = KeyedBackendParameters.builder(Serializers.LONG)
                .operatorIdentifier("bench")
                .numberOfKeyGroups(MAX_PARALLELISM)
                .restoreFrom(handles);
        switch (target) {
            case "same" -> parameters.instance(0, 2);
            case "scale-in" -> parameters.instance(0, 1);
            case "scale-out" -> parameters.instance(1, 3);
            default -> throw new IllegalArgumentException("target: " + target);
        }
        restored = new EmbeddedRocksDBStateBackend(format.equals("incremental"))
                .configure(
                        new dev.cairn.state.Configuration()
                                .set(dev.cairn.state.rocksdb.RocksDBOptions.RESTORE_VERIFY_CHECKSUMS, verifyChecksums),
                        getClass().getClassLoader())
                .createKeyedStateBackend(parameters.build());
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
        BenchmarkSupport.deleteRecursively(directory);
    }
}

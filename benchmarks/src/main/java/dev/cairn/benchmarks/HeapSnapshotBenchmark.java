package dev.cairn.benchmarks;

import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.fs.LocalFileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * Snapshot and restore of a heap backend holding {@code entries} {@code ValueState<Long>} entries (Long keys):
 * the synchronous part alone (what the task thread pauses for), a whole snapshot, and a restore from memory and
 * from a file read without buffering by the caller.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HeapSnapshotBenchmark {
    @Param({"1000000"})
    public int entries;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private CheckpointableKeyedStateBackend<Long> backend;
    private KeyGroupsStateHandle inMemory;
    private KeyGroupsStateHandle onDisk;
    private Path file;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = new HashMapStateBackend()
                .createKeyedStateBackend(
                        KeyedBackendParameters.builder(Serializers.LONG).build());
        ValueState<Long> state = backend.getState(descriptor);
        for (long key = 0; key < entries; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        inMemory = (KeyGroupsStateHandle)
                backend.snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                        .getHandle();
        file = Files.createTempFile("cairn-snapshot", ".bin");
        byte[] bytes = ((ByteStreamStateHandle) inMemory.getStream()).getData();
        Files.write(file, bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        // Read through the local file system of the filesystem checkpoint storage: an unbuffered RandomAccessFile,
        // so a restore that read element by element would show up as system calls.
        onDisk = new KeyGroupsStateHandle(
                inMemory.getOffsets(),
                new FileStateHandle(
                        LocalFileSystem.INSTANCE, StoragePath.fromLocal(file), StateScope.EXCLUSIVE, bytes.length, (int)
                                crc.getValue()));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.close();
        Files.deleteIfExists(file);
    }

    /** The task-thread pause: start a snapshot (then cancel it so copy-on-write stops). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object synchronousPart() throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                backend.snapshot(2, 0, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint());
        future.cancel(false);
        return future;
    }

    /** Synchronous and asynchronous part, writing the canonical format into memory. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object fullSnapshot() throws Exception {
        return backend.snapshotNow(3, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint());
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int restoreFromMemory() {
        return restore(inMemory);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int restoreFromFile() {
        return restore(onDisk);
    }

    private int restore(KeyedStateHandle handle) {
        try (CheckpointableKeyedStateBackend<Long> restored = new HashMapStateBackend()
                .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .restoreFrom(List.of(handle))
                        .build())) {
            return restored.numKeyValueStateEntries();
        }
    }
}

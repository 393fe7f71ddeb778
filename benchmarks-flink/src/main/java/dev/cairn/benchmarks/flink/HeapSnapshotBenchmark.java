package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
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
 * Snapshot and restore of Flink's heap backend holding {@code entries} {@code ValueState<Long>} entries: the
 * synchronous part, a whole snapshot into memory and a restore from it, as Cairn's {@code HeapSnapshotBenchmark}.
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

    private AbstractKeyedStateBackend<Long> backend;
    private KeyedStateHandle inMemory;
    private long checkpointId;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = FlinkBackends.longKeyed("hashmap");
        ValueState<Long> state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("value", LongSerializer.INSTANCE));
        for (long key = 0; key < entries; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        inMemory = runToCompletion(startSnapshot()).getJobManagerOwnedSnapshot();
    }

    private RunnableFuture<SnapshotResult<KeyedStateHandle>> startSnapshot() throws Exception {
        return backend.snapshot(
                ++checkpointId,
                0,
                new MemCheckpointStreamFactory(Integer.MAX_VALUE),
                CheckpointOptions.forCheckpointWithDefaultLocation());
    }

    private static SnapshotResult<KeyedStateHandle> runToCompletion(
            RunnableFuture<SnapshotResult<KeyedStateHandle>> future) throws Exception {
        future.run();
        return future.get();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    /** The task-thread pause: start a snapshot (then cancel it so copy-on-write stops). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object synchronousPart() throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = startSnapshot();
        future.cancel(false);
        return future;
    }

    /** Synchronous and asynchronous part, into memory. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object fullSnapshot() throws Exception {
        return runToCompletion(startSnapshot());
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int restoreFromMemory() throws Exception {
        AbstractKeyedStateBackend<Long> restored = FlinkBackends.longKeyed("hashmap", List.of(inMemory));
        try {
            return restored.numKeyValueStateEntries();
        } finally {
            restored.dispose();
        }
    }
}

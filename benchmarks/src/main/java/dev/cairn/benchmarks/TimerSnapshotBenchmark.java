package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.util.concurrent.RunnableFuture;
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
 * The synchronous part of a snapshot (what the task thread waits for) of a backend holding {@code timers} timers
 * and nothing else: heap timers on {@code hashmap}, heap-mode timers inside RocksDB on {@code rocksdb-heap-timers}
 * (a savepoint, so that no RocksDB checkpoint is taken). The asynchronous part is cancelled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimerSnapshotBenchmark {
    @Param({"1000000"})
    public int timers;

    @Param({"hashmap", "rocksdb-heap-timers"})
    public String backendType;

    private CheckpointableKeyedStateBackend<Long> backend;
    private KeyGroupedTimerQueue<Long, VoidNamespace> queue;
    private final MemoryCheckpointStreamFactory streams = new MemoryCheckpointStreamFactory();
    private long checkpointId;

    @Setup(Level.Trial)
    public void register() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        queue = backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
        for (long i = 0; i < timers; i++) {
            queue.add(new Timer<>(i, VoidNamespace.INSTANCE, i));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public boolean synchronousPart() throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                backend.snapshot(++checkpointId, checkpointId, streams, SnapshotOptions.savepoint());
        return snapshot.cancel(false);
    }
}

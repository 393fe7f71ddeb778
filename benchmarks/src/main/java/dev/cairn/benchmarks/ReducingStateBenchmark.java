package dev.cairn.benchmarks;

import dev.cairn.state.ReducingState;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
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

/** {@code ReducingState<Long>.add} (a running sum) on uniformly random Long keys, on each backend. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReducingStateBenchmark {
    @Param({"100000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    private CheckpointableKeyedStateBackend<Long> backend;
    private ReducingState<Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        state = backend.getState(new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG));
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 17);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public void reducingAdd() {
        Long key = accessOrder[next++ & (accessOrder.length - 1)];
        backend.setCurrentKey(key);
        state.add(key);
    }
}

package dev.cairn.benchmarks;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
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

/**
 * {@code ListState<Long>} add and get on uniformly random Long keys, on each backend; every list starts with
 * {@code listSize} elements ({@code listAdd} grows them during the run, identically on every backend).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ListStateBenchmark {
    @Param({"100000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    /** Elements in every key's list before the measurement starts. */
    @Param({"10"})
    public int listSize;

    private CheckpointableKeyedStateBackend<Long> backend;
    private ListState<Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        state = backend.getState(new ListStateDescriptor<>("list", Serializers.LONG));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            for (long element = 0; element < listSize; element++) {
                state.add(element);
            }
        }
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 11);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public void listAdd() {
        Long key = accessOrder[next++ & (accessOrder.length - 1)];
        backend.setCurrentKey(key);
        state.add(key);
    }

    /** Reads the current key's list and sums it (every element deserialized). */
    @Benchmark
    public long listGet() {
        backend.setCurrentKey(accessOrder[next++ & (accessOrder.length - 1)]);
        long sum = 0;
        for (Long element : state.get()) {
            sum += element;
        }
        return sum;
    }
}

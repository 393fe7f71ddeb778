package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.util.HashMap;
import java.util.Map;
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
 * {@code ValueState<Long>} get and update with uniformly random Long keys on each backend, next to a plain
 * {@code HashMap<Long, Long>} doing the same (the physical limit of a heap backend).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValueStateBenchmark {
    @Param({"100000", "1000000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private final Map<Long, Long> hashMap = new HashMap<>();
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        state = backend.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key);
            hashMap.put(key, key);
        }
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 7);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    private Long nextKey() {
        return accessOrder[next++ & (accessOrder.length - 1)];
    }

    @Benchmark
    public Long valueGet() {
        backend.setCurrentKey(nextKey());
        return state.value();
    }

    @Benchmark
    public void valueUpdate() {
        Long key = nextKey();
        backend.setCurrentKey(key);
        state.update(key);
    }

    @Benchmark
    public Long hashMapGet() {
        return hashMap.get(nextKey());
    }

    @Benchmark
    public Long hashMapPut() {
        Long key = nextKey();
        return hashMap.put(key, key);
    }
}

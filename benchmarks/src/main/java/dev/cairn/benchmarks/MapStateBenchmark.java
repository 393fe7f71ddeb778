package dev.cairn.benchmarks;

import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
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
 * {@code MapState<Long, Long>} put, get and contains on uniformly random Long keys, each key holding a map of
 * {@code mapSize} entries; the user key cycles through the map.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MapStateBenchmark {
    @Param({"100000"})
    public int keys;

    @Param({"10", "100"})
    public int mapSize;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    private CheckpointableKeyedStateBackend<Long> backend;
    private MapState<Long, Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        state = backend.getState(new MapStateDescriptor<>("map", Serializers.LONG, Serializers.LONG));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            for (long userKey = 0; userKey < mapSize; userKey++) {
                state.put(userKey, key);
            }
        }
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 13);
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    private long nextUserKey() {
        Long key = accessOrder[next & (accessOrder.length - 1)];
        backend.setCurrentKey(key);
        return next++ % mapSize;
    }

    @Benchmark
    public void mapPut() {
        long userKey = nextUserKey();
        state.put(userKey, userKey);
    }

    @Benchmark
    public Long mapGet() {
        return state.get(nextUserKey());
    }

    @Benchmark
    public boolean mapContains() {
        return state.contains(nextUserKey());
    }

    /** Iterates the current key's whole map, summing the values (every entry read and deserialized). */
    @Benchmark
    public long mapIterate() {
        backend.setCurrentKey(accessOrder[next++ & (accessOrder.length - 1)]);
        long sum = 0;
        for (Map.Entry<Long, Long> entry : state.entries()) {
            sum += entry.getValue();
        }
        return sum;
    }
}

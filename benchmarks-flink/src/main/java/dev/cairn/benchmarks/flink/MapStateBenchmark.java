package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
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

/** Flink's {@code MapState<Long, Long>}: the workload of Cairn's {@code MapStateBenchmark}. */
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

    private AbstractKeyedStateBackend<Long> backend;
    private MapState<Long, Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = FlinkBackends.longKeyed(backendType);
        state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("map", LongSerializer.INSTANCE, LongSerializer.INSTANCE));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            for (long userKey = 0; userKey < mapSize; userKey++) {
                state.put(userKey, key);
            }
        }
        accessOrder = ValueStateBenchmark.randomAccessOrder(keys, 13);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    private long nextUserKey() {
        Long key = accessOrder[next & (accessOrder.length - 1)];
        backend.setCurrentKey(key);
        return next++ % mapSize;
    }

    @Benchmark
    public void mapPut() throws Exception {
        long userKey = nextUserKey();
        state.put(userKey, userKey);
    }

    @Benchmark
    public Long mapGet() throws Exception {
        return state.get(nextUserKey());
    }

    @Benchmark
    public boolean mapContains() throws Exception {
        return state.contains(nextUserKey());
    }

    /** Iterates the current key's whole map, summing the values (every entry read and deserialized). */
    @Benchmark
    public long mapIterate() throws Exception {
        backend.setCurrentKey(accessOrder[next++ & (accessOrder.length - 1)]);
        long sum = 0;
        for (Map.Entry<Long, Long> entry : state.entries()) {
            sum += entry.getValue();
        }
        return sum;
    }
}

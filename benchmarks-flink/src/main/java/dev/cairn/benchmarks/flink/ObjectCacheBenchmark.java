package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
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

/** Flink's RocksDB backend under the workload of Cairn's {@code ObjectCacheBenchmark} (Flink has no object cache). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ObjectCacheBenchmark {
    static final int MAP_SIZE = 10;

    @Param({"100000"})
    public int keys;

    @Param({"rocksdb"})
    public String backendType;

    @Param({"uniform", "skewed"})
    public String access;

    private AbstractKeyedStateBackend<Long> backend;
    private ValueState<Long> value;
    private MapState<Long, Long> map;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = FlinkBackends.longKeyed(backendType);
        value = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("value", LongSerializer.INSTANCE));
        map = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new MapStateDescriptor<>("map", LongSerializer.INSTANCE, LongSerializer.INSTANCE));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            value.update(key);
            for (long userKey = 0; userKey < MAP_SIZE; userKey++) {
                map.put(userKey, key);
            }
        }
        accessOrder = ValueShapeBenchmark.accessOrder(keys, access, 29);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    private Long nextKey() {
        return accessOrder[next++ & (accessOrder.length - 1)];
    }

    @Benchmark
    public Long valueGet() throws Exception {
        backend.setCurrentKey(nextKey());
        return value.value();
    }

    @Benchmark
    public void valueUpdate() throws Exception {
        Long key = nextKey();
        backend.setCurrentKey(key);
        value.update(key);
    }

    @Benchmark
    public Long mapGet() throws Exception {
        backend.setCurrentKey(nextKey());
        return map.get((long) (next % MAP_SIZE));
    }
}

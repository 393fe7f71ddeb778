package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/**
 * Flink's {@code ValueState<Long>} get and update: the same workload, parameters and JMH settings as Cairn's
 * {@code dev.cairn.benchmarks.ValueStateBenchmark}, so results pair up by benchmark and parameters.
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
    static final int ACCESS_ORDER_LENGTH = 1 << 20;

    @Param({"100000", "1000000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    private AbstractKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        backend = FlinkBackends.longKeyed(backendType);
        state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("value", LongSerializer.INSTANCE));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        accessOrder = randomAccessOrder(keys, 7);
    }

    /** The same reproducible order Cairn's benchmarks use. */
    static Long[] randomAccessOrder(int keys, long seed) {
        Random random = new Random(seed);
        Long[] order = new Long[ACCESS_ORDER_LENGTH];
        for (int i = 0; i < order.length; i++) {
            order[i] = (long) random.nextInt(keys);
        }
        return order;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    private Long nextKey() {
        return accessOrder[next++ & (accessOrder.length - 1)];
    }

    @Benchmark
    public Long valueGet() throws IOException {
        backend.setCurrentKey(nextKey());
        return state.value();
    }

    @Benchmark
    public void valueUpdate() throws IOException {
        Long key = nextKey();
        backend.setCurrentKey(key);
        state.update(key);
    }
}

package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
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

/** Flink's {@code ReducingState<Long>.add}: the workload of Cairn's {@code ReducingStateBenchmark}. */
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

    private AbstractKeyedStateBackend<Long> backend;
    private ReducingState<Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        backend = FlinkBackends.longKeyed(backendType);
        state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ReducingStateDescriptor<>("sum", Long::sum, LongSerializer.INSTANCE));
        accessOrder = ValueStateBenchmark.randomAccessOrder(keys, 17);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    @Benchmark
    public void reducingAdd() throws Exception {
        Long key = accessOrder[next++ & (accessOrder.length - 1)];
        backend.setCurrentKey(key);
        state.add(key);
    }
}

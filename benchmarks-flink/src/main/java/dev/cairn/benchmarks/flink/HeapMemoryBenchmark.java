package dev.cairn.benchmarks.flink;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/** Retained heap per entry of Flink's heap backend: the measurement of Cairn's {@code HeapMemoryBenchmark}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class HeapMemoryBenchmark {
    @Param({"1000000"})
    public int keys;

    @Param({"hashmap"})
    public String structure;

    /** Bytes retained per entry (one iteration, one load). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Retained {
        public long bytesPerEntry;

        @Setup(Level.Iteration)
        public void reset() {
            bytesPerEntry = 0;
        }
    }

    static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Benchmark
    public Object load(Retained retained) throws Exception {
        long before = usedAfterGc();
        AbstractKeyedStateBackend<Long> backend = FlinkBackends.longKeyed(structure);
        ValueState<Long> state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("value", LongSerializer.INSTANCE));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key + 1);
        }
        retained.bytesPerEntry = (usedAfterGc() - before) / keys;
        backend.dispose();
        return backend;
    }
}

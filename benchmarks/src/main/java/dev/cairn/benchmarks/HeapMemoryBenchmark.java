package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

/**
 * Retained heap per {@code ValueState<Long>} entry of the heap backend, next to a plain {@code HashMap<Long, Long>}:
 * heap used after full GCs with {@code keys} entries loaded, minus before, divided by {@code keys} (GC-after-load
 * accounting; the Long keys and values themselves are included in both). Reported as the auxiliary counter
 * {@code bytesPerEntry}; the time is the load.
 */
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

    @Param({"hashmap", "plain-hashmap"})
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
    public Object load(Retained retained) {
        long before = usedAfterGc();
        Object holder;
        if (structure.equals("plain-hashmap")) {
            Map<Long, Long> map = new HashMap<>();
            for (long key = 0; key < keys; key++) {
                map.put(key, key + 1);
            }
            holder = map;
        } else {
            CheckpointableKeyedStateBackend<Long> backend = BenchmarkSupport.longKeyedBackend(structure);
            ValueState<Long> state = backend.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
            for (long key = 0; key < keys; key++) {
                backend.setCurrentKey(key);
                state.update(key + 1);
            }
            holder = backend;
        }
        retained.bytesPerEntry = (usedAfterGc() - before) / keys;
        if (holder instanceof CheckpointableKeyedStateBackend<?> backend) {
            backend.close();
        }
        return holder;
    }
}

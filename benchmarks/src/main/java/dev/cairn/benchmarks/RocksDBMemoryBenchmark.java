package dev.cairn.benchmarks;

import dev.cairn.state.MemorySize;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
 * RocksDB memory against the managed budget: loads {@code keys} 100-byte values (about 4× the budget of data),
 * reads a million random keys, then reports what the shared cache holds ({@code cacheUsageMB}: data, index and
 * filter blocks and the memtables charged to it) and how much the process's resident memory grew
 * ({@code residentGrowthMB}, from {@code /proc/self/status}, with the Java heap pre-touched so it does not count;
 * includes what RocksDB allocates outside the cache),
 * both against the {@code budgetMB} parameter. The counters are sums over the measured iterations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1)
@Measurement(iterations = 2)
public class RocksDBMemoryBenchmark {
    @Param({"4000000"})
    public int keys;

    @Param({"256"})
    public int budgetMB;

    /** Memory figures of one iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        public long cacheUsageMB;
        public long residentGrowthMB;

        @Setup(Level.Iteration)
        public void reset() {
            cacheUsageMB = 0;
            residentGrowthMB = 0;
        }
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0; // not Linux: the counter stays 0
        }
        return 0;
    }

    @Benchmark
    public int loadAndRead(Memory memory) {
        RocksDBMemoryBudget budget = new RocksDBMemoryBudget(MemorySize.ofMebiBytes(budgetMB), 0.5, 0.1);
        EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend();
        rocksdb.setMemoryBudget(budget);
        long before = residentBytes();
        int found = 0;
        try (CheckpointableKeyedStateBackend<Long> backend = rocksdb.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.LONG).build())) {
            ValueState<byte[]> state = backend.getState(new ValueStateDescriptor<>("value", Serializers.BYTE_ARRAY));
            byte[] value = new byte[100];
            Random random = new Random(5);
            for (long key = 0; key < keys; key++) {
                random.nextBytes(value);
                backend.setCurrentKey(key);
                state.update(value);
            }
            for (int i = 0; i < 1_000_000; i++) {
                backend.setCurrentKey((long) random.nextInt(keys));
                if (state.value() != null) {
                    found++;
                }
            }
            memory.cacheUsageMB = budget.usage() >> 20;
            memory.residentGrowthMB = (residentBytes() - before) >> 20;
        }
        return found;
    }
}

package dev.cairn.benchmarks;

import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.Serializers;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Registering {@code timers} event-time timers on {@code timers / 10} keys in pseudo-random time order, then
 * firing all of them by advancing the watermark: one operation is the whole batch, so time per timer is the
 * score divided by {@code timers}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class HeapTimerBenchmark {
    @Param({"1000000"})
    public int timers;

    @Benchmark
    public long registerAndFire() throws Exception {
        try (CheckpointableKeyedStateBackend<Long> backend = new HashMapStateBackend()
                .createKeyedStateBackend(
                        KeyedBackendParameters.builder(Serializers.LONG).build())) {
            long[] fired = new long[1];
            KeyedTimerService<Long, Long> service =
                    KeyedTimerService.create(backend, "timers", Serializers.LONG, timer -> fired[0]++);
            int keys = Math.max(1, timers / 10);
            for (int i = 0; i < timers; i++) {
                backend.setCurrentKey((long) (i % keys));
                service.registerEventTimeTimer((long) i, (i * 7_919L) % 10_000_019L);
            }
            service.advanceWatermark(Long.MAX_VALUE);
            return fired[0];
        }
    }
}

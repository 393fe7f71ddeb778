package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import java.util.Random;
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
 * The timer queue in steady state: {@code timers} timers are registered, then each operation registers one more
 * (a random key, a timestamp up to 65 536 ahead of the clock) and fires the earliest, so the queue keeps its size.
 * Heap timers on {@code hashmap}, timers in RocksDB on {@code rocksdb} (the default of both libraries).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TimerBenchmark {
    static final int RANDOM_LENGTH = 1 << 20;

    @Param({"100000"})
    public int timers;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    private CheckpointableKeyedStateBackend<Long> backend;
    private KeyGroupedTimerQueue<Long, VoidNamespace> queue;
    private long[] keys;
    private long[] offsets;
    private long clock;
    private int next;

    @Setup(Level.Trial)
    public void register() {
        backend = BenchmarkSupport.longKeyedBackend(backendType);
        queue = backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
        Random random = new Random(17);
        keys = new long[RANDOM_LENGTH];
        offsets = new long[RANDOM_LENGTH];
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            keys[i] = random.nextInt(timers);
            offsets[i] = random.nextInt(1 << 16);
        }
        // Not "until size() reaches timers": a RocksDB queue's size() may have to count its timers.
        for (int i = 0; i < timers; i++) {
            registerNext();
        }
    }

    private void registerNext() {
        int i = next++ & (RANDOM_LENGTH - 1);
        queue.add(new Timer<>(keys[i], VoidNamespace.INSTANCE, clock + offsets[i]));
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
    }

    @Benchmark
    public Timer<Long, VoidNamespace> timerRegisterAndFire() {
        registerNext();
        Timer<Long, VoidNamespace> fired = queue.poll();
        clock = fired.timestamp();
        return fired;
    }
}

package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
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
 * Flink's timer queue (the one its timer service uses) in the steady state of Cairn's {@code TimerBenchmark}:
 * register one timer, fire the earliest.
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

    private AbstractKeyedStateBackend<Long> backend;
    private KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<Long, VoidNamespace>> queue;
    private long[] keys;
    private long[] offsets;
    private long clock;
    private int next;

    @Setup(Level.Trial)
    public void register() throws IOException {
        backend = FlinkBackends.longKeyed(backendType);
        queue = backend.create(
                "timers", new TimerSerializer<>(LongSerializer.INSTANCE, VoidNamespaceSerializer.INSTANCE));
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
        queue.add(new TimerHeapInternalTimer<>(clock + offsets[i], keys[i], VoidNamespace.INSTANCE));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        backend.dispose();
    }

    @Benchmark
    public TimerHeapInternalTimer<Long, VoidNamespace> timerRegisterAndFire() {
        registerNext();
        TimerHeapInternalTimer<Long, VoidNamespace> fired = queue.poll();
        clock = fired.getTimestamp();
        return fired;
    }
}

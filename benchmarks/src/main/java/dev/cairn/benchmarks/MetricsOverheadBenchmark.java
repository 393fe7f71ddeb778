package dev.cairn.benchmarks;

import dev.cairn.metrics.micrometer.CairnMetrics;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.StateBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * {@code ValueState<Long>} get and update (the rows of {@link ValueStateBenchmark}) with the backend's metrics
 * {@code bound} — registered in a {@link MetricRegistry} exported to a Micrometer registry through
 * {@link CairnMetrics}, tagged as a {@code StateEnvironment} tags them — or {@code unbound} (no metric group). Both
 * in one run, so the two are compared in the same session: nothing is recorded per state access, so they should
 * not differ.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MetricsOverheadBenchmark {
    @Param({"1000000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    @Param({"unbound", "bound"})
    public String metrics;

    private MetricRegistry registry;
    private CairnMetrics binder;
    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> state;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        StateBackend stateBackend =
                backendType.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        KeyedBackendParameters.Builder<Long> parameters = KeyedBackendParameters.builder(Serializers.LONG);
        if (metrics.equals("bound")) {
            registry = new MetricRegistry();
            binder = new CairnMetrics(registry);
            binder.bindTo(new SimpleMeterRegistry());
            MetricGroup instance = registry.addGroup("pipeline.name", "benchmark")
                    .addGroup("operator.id", "values")
                    .addGroup("subtask.index", "0");
            parameters.metricGroup(instance);
        }
        backend = stateBackend.createKeyedStateBackend(parameters.build());
        state = backend.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
        for (long key = 0; key < keys; key++) {
            backend.setCurrentKey(key);
            state.update(key);
        }
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 7);
        if (registry != null && registry.metrics().isEmpty()) {
            throw new IllegalStateException("bound, but the backend registered no metric");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        backend.close();
        if (binder != null) {
            binder.close();
            registry.close();
        }
    }

    private Long nextKey() {
        return accessOrder[next++ & (accessOrder.length - 1)];
    }

    @Benchmark
    public Long valueGet() {
        backend.setCurrentKey(nextKey());
        return state.value();
    }

    @Benchmark
    public void valueUpdate() {
        Long key = nextKey();
        backend.setCurrentKey(key);
        state.update(key);
    }
}

package dev.cairn.benchmarks;

import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
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
 * The object cache in front of RocksDB (issue 22, item 1): {@code ValueState<Long>} get and update and
 * {@code MapState<Long, Long>} get (maps of 10 entries) over {@code keys} keys, with {@code access} {@code uniform}
 * or {@code skewed} (80% of the accesses to 20% of the keys, as {@link ValueShapeBenchmark}). {@code backendType}:
 * {@code rocksdb} without the cache; {@code rocksdb-cached} with a cache of a quarter of the entries (value
 * entries, map entries and one per map), which holds the skewed access's hot keys; {@code rocksdb-cached-cold} with a
 * cache of 1% of them, whose hit rate under uniform access is near zero (the cache's cost without its benefit).
 * Flink's side ({@code benchmarks-flink}) runs the {@code rocksdb} rows.
 */
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

    @Param({"rocksdb", "rocksdb-cached", "rocksdb-cached-cold"})
    public String backendType;

    @Param({"uniform", "skewed"})
    public String access;

    private CheckpointableKeyedStateBackend<Long> backend;
    private ValueState<Long> value;
    private MapState<Long, Long> map;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void fill() {
        EmbeddedRocksDBStateBackend rocksdb = BenchmarkSupport.rocksdb(false);
        long entries = (long) keys * (MAP_SIZE + 2);
        switch (backendType) {
            case "rocksdb" -> {}
            case "rocksdb-cached" -> rocksdb.setCacheMaxEntries((int) (entries / 4));
            case "rocksdb-cached-cold" -> rocksdb.setCacheMaxEntries((int) (entries / 100));
            default ->
                throw new IllegalArgumentException(
                        "backendType must be rocksdb, rocksdb-cached or rocksdb-cached-cold: " + backendType);
        }
        backend = rocksdb.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.LONG).build());
        value = backend.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
        map = backend.getState(new MapStateDescriptor<>("map", Serializers.LONG, Serializers.LONG));
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
    public void close() {
        backend.close();
    }

    private Long nextKey() {
        return accessOrder[next++ & (accessOrder.length - 1)];
    }

    @Benchmark
    public Long valueGet() {
        backend.setCurrentKey(nextKey());
        return value.value();
    }

    @Benchmark
    public void valueUpdate() {
        Long key = nextKey();
        backend.setCurrentKey(key);
        value.update(key);
    }

    @Benchmark
    public Long mapGet() {
        backend.setCurrentKey(nextKey());
        return map.get((long) (next % MAP_SIZE));
    }
}

package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
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
 * Flink's {@code ValueState}: the workload of Cairn's {@code ValueShapeBenchmark}, same parameters and key order.
 * {@code ValueState} get and update by value shape and access pattern: {@code value} {@code long} (a {@code Long})
 * or {@code bytes100} (a 100-byte {@code byte[]}); {@code access} {@code uniform} or {@code skewed} (80% of the
 * accesses go to 20% of the keys, the rest spread over all keys).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValueShapeBenchmark {
    @Param({"100000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backendType;

    @Param({"long", "bytes100"})
    public String value;

    @Param({"uniform", "skewed"})
    public String access;

    private AbstractKeyedStateBackend<Long> backend;
    private ValueState<Object> state;
    private Object[] values;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void fill() throws Exception {
        backend = FlinkBackends.longKeyed(backendType);
        TypeSerializer serializer =
                value.equals("long") ? LongSerializer.INSTANCE : BytePrimitiveArraySerializer.INSTANCE;
        state = backend.getPartitionedState(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<Object>("value", serializer));
        values = new Object[keys];
        for (int key = 0; key < keys; key++) {
            values[key] = value(value, key);
            backend.setCurrentKey((long) key);
            state.update(values[key]);
        }
        accessOrder = accessOrder(keys, access, 23);
    }

    /** The value stored under {@code key}: the key itself, or 100 bytes derived from it. */
    static Object value(String shape, int key) {
        return switch (shape) {
            case "long" -> (long) key;
            case "bytes100" -> {
                byte[] bytes = new byte[100];
                new Random(key).nextBytes(bytes);
                yield bytes;
            }
            default -> throw new IllegalArgumentException("value must be long or bytes100: " + shape);
        };
    }

    /** A reproducible key order, uniform or skewed (80% of the accesses to the first 20% of the keys). */
    static Long[] accessOrder(int keys, String access, long seed) {
        if (access.equals("uniform")) {
            return ValueStateBenchmark.randomAccessOrder(keys, seed);
        }
        if (!access.equals("skewed")) {
            throw new IllegalArgumentException("access must be uniform or skewed: " + access);
        }
        Random random = new Random(seed);
        Long[] order = new Long[ValueStateBenchmark.ACCESS_ORDER_LENGTH];
        int hot = Math.max(1, keys / 5);
        for (int i = 0; i < order.length; i++) {
            order[i] = (long) (random.nextInt(10) < 8 ? random.nextInt(hot) : random.nextInt(keys));
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
    public Object valueGet() throws IOException {
        backend.setCurrentKey(nextKey());
        return state.value();
    }

    @Benchmark
    public void valueUpdate() throws IOException {
        Long key = nextKey();
        backend.setCurrentKey(key);
        state.update(values[key.intValue()]);
    }
}

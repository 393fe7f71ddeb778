package dev.cairn.benchmarks;

import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.heap.HashMapStateBackendOptions;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.util.List;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Restoring {@code entries} {@code ValueState<Long>} entries from a full (canonical) heap checkpoint and from the
 * longest incremental chain the default limits allow: a base and {@code max-chain-length} deltas on every key
 * group, each delta written after {@code updatedPercent} of the keys changed. One restore per iteration, after a
 * full GC, so that the garbage of the previous restore does not land on the next one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 4)
@Measurement(iterations = 10)
public class HeapIncrementalRestoreBenchmark {
    @Param({"1000000"})
    public int entries;

    @Param({"1"})
    public int updatedPercent;

    private KeyedStateHandle full;
    private KeyedStateHandle longestChain;

    @Setup(Level.Trial)
    public void checkpoint() throws Exception {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
        SplittableRandom random = new SplittableRandom(42);
        try (CheckpointableKeyedStateBackend<Long> canonical = create(new HashMapStateBackend(false), List.of());
                CheckpointableKeyedStateBackend<Long> chained =
                        create(new HashMapStateBackend(true).withChainLimits(Integer.MAX_VALUE, 1e9), List.of())) {
            ValueState<Long> canonicalState = canonical.getState(descriptor);
            ValueState<Long> chainedState = chained.getState(descriptor);
            for (long key = 0; key < entries; key++) {
                canonical.setCurrentKey(key);
                canonicalState.update(key);
                chained.setCurrentKey(key);
                chainedState.update(key);
            }
            full = canonical
                    .snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                    .getHandle();
            int deltas = HashMapStateBackendOptions.MAX_CHAIN_LENGTH.defaultValue();
            for (long id = 1; id <= deltas + 1; id++) {
                if (id > 1) {
                    for (int i = 0; i < entries / 100 * updatedPercent; i++) {
                        chained.setCurrentKey((long) random.nextInt(entries));
                        chainedState.update(id);
                    }
                }
                longestChain = chained.snapshotNow(
                                id, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                        .getHandle();
                chained.notifyCheckpointComplete(id);
            }
        }
    }

    private static CheckpointableKeyedStateBackend<Long> create(
            HashMapStateBackend backend, List<KeyedStateHandle> restoreFrom) {
        return backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                .restoreFrom(restoreFrom)
                .build());
    }

    @Setup(Level.Iteration)
    public void collectGarbage() {
        System.gc();
    }

    @Benchmark
    public int restoreFull() {
        return restore(new HashMapStateBackend(false), full);
    }

    @Benchmark
    public int restoreLongestChain() {
        return restore(new HashMapStateBackend(true), longestChain);
    }

    private static int restore(HashMapStateBackend backend, KeyedStateHandle handle) {
        try (CheckpointableKeyedStateBackend<Long> restored = create(backend, List.of(handle))) {
            return restored.numKeyValueStateEntries();
        }
    }
}

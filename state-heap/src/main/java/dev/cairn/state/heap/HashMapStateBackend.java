package dev.cairn.state.heap;

import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.heap.internal.HeapKeyedStateBackend;
import dev.cairn.state.heap.internal.IncrementalSettings;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.DefaultOperatorStateBackend;

/**
 * Keeps keyed state as objects on the Java heap: the fastest backend, for state that fits in memory.
 *
 * <p>Reads and writes are hash-map operations without serialization. Snapshots are asynchronous and
 * copy-on-write: starting one costs microseconds however large the state is, the task keeps writing while it is
 * written, and it holds exactly the state at the moment it started. Savepoints, and checkpoints by default, use the
 * canonical format, so they restore into any backend and any key-group range.
 *
 * <p><b>Incremental checkpoints</b> ({@code new HashMapStateBackend(true)} or {@code
 * execution.checkpointing.incremental: true}; Flink's heap backend has none): a checkpoint writes only the entries
 * that changed since the last <em>completed</em> checkpoint, and tombstones for removed ones, and references the
 * earlier files as shared state ({@link IncrementalHeapStateHandle}). Per key group, a new full base is written
 * when its chain of deltas grows longer than {@link HashMapStateBackendOptions#MAX_CHAIN_LENGTH} or larger than
 * {@link HashMapStateBackendOptions#MAX_DELTA_RATIO} times its base, so restores stay bounded. The first
 * checkpoint after a start or restore is full. Incremental checkpoints restore only into the heap backend; take a
 * savepoint to switch backends.
 *
 * <p><b>Caveats:</b> state objects are stored by reference. Do not mutate an object after passing it to
 * {@code update}/{@code add}/{@code put}, and do not keep objects returned by state reads beyond the current
 * record: while a snapshot runs the backend may hand out copies. Keys need stable {@code hashCode()}s (see
 * {@link dev.cairn.state.Serializers}). Large state means large heaps and GC pauses; use the RocksDB backend
 * for state larger than memory.
 */
public final class HashMapStateBackend implements StateBackend {
    /** The name under which {@code state.backend.type} selects this backend. */
    public static final String NAME = "hashmap";

    private final Boolean incremental;
    private final int maxChainLength;
    private final double maxDeltaRatio;

    /** A backend with full checkpoints (unless {@link #configure} turns incremental ones on). */
    public HashMapStateBackend() {
        this(null, MAX_CHAIN_DEFAULT, RATIO_DEFAULT);
    }

    /**
     * A backend with incremental checkpoints on or off; this choice wins over the configuration.
     *
     * @param incrementalCheckpoints whether checkpoints write only what changed since the last completed one
     */
    public HashMapStateBackend(boolean incrementalCheckpoints) {
        this(incrementalCheckpoints, MAX_CHAIN_DEFAULT, RATIO_DEFAULT);
    }

    private static final int MAX_CHAIN_DEFAULT = HashMapStateBackendOptions.MAX_CHAIN_LENGTH.defaultValue();
    private static final double RATIO_DEFAULT = HashMapStateBackendOptions.MAX_DELTA_RATIO.defaultValue();

    private HashMapStateBackend(Boolean incremental, int maxChainLength, double maxDeltaRatio) {
        if (maxChainLength < 0) {
            throw IllegalConfigurationException.invalidValue(
                    HashMapStateBackendOptions.MAX_CHAIN_LENGTH.key(),
                    String.valueOf(maxChainLength),
                    "a number of delta sections >= 0 (0: every checkpoint is full)");
        }
        if (!(maxDeltaRatio >= 0) || Double.isInfinite(maxDeltaRatio)) {
            throw IllegalConfigurationException.invalidValue(
                    HashMapStateBackendOptions.MAX_DELTA_RATIO.key(),
                    String.valueOf(maxDeltaRatio),
                    "a finite ratio >= 0 of delta bytes to base bytes");
        }
        this.incremental = incremental;
        this.maxChainLength = maxChainLength;
        this.maxDeltaRatio = maxDeltaRatio;
    }

    /**
     * A copy with the settings this backend leaves open taken from {@code config}: incremental checkpoints
     * ({@code execution.checkpointing.incremental}, unless the constructor chose) and the chain limits.
     *
     * @param config the configuration
     * @return the configured copy
     * @throws IllegalConfigurationException naming the key for an invalid value
     */
    public HashMapStateBackend configure(ReadableConfig config) {
        boolean incrementalFromConfig = incremental != null
                ? incremental
                : config.get(dev.cairn.state.ConfigOptions.key("execution.checkpointing.incremental")
                        .booleanType()
                        .defaultValue(false)
                        .withDeprecatedKeys("state.backend.incremental"));
        return new HashMapStateBackend(
                incrementalFromConfig,
                config.get(HashMapStateBackendOptions.MAX_CHAIN_LENGTH),
                config.get(HashMapStateBackendOptions.MAX_DELTA_RATIO));
    }

    /** {@return whether checkpoints are incremental} */
    public boolean isIncrementalCheckpointsEnabled() {
        return incremental != null && incremental;
    }

    /**
     * A copy with other chain limits.
     *
     * @param maxChainLength delta sections after a key group's base before a new base is written (0: always full)
     * @param maxDeltaRatio delta bytes, as a multiple of the base's, above which a new base is written
     * @return the copy
     * @throws IllegalConfigurationException for a negative value
     */
    public HashMapStateBackend withChainLimits(int maxChainLength, double maxDeltaRatio) {
        return new HashMapStateBackend(incremental, maxChainLength, maxDeltaRatio);
    }

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new HeapKeyedStateBackend<>(
                parameters,
                isIncrementalCheckpointsEnabled()
                        ? new IncrementalSettings(maxChainLength, maxDeltaRatio)
                        : IncrementalSettings.OFF);
    }

    /** Operator state on the heap, as for every backend: {@link DefaultOperatorStateBackend}. */
    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
        return DefaultOperatorStateBackend.create(parameters);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String toString() {
        return isIncrementalCheckpointsEnabled()
                ? "HashMapStateBackend{incremental, max chain " + maxChainLength + ", max delta ratio " + maxDeltaRatio
                        + "}"
                : "HashMapStateBackend";
    }
}

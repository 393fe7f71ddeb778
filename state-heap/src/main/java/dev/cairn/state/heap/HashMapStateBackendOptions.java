package dev.cairn.state.heap;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import java.util.List;

/**
 * Configuration keys of the heap backend's incremental checkpoints ({@code execution.checkpointing.incremental:
 * true}). Flink has no incremental heap checkpoints, so these keys are Cairn's own, named in Flink's style.
 */
public final class HashMapStateBackendOptions {
    private HashMapStateBackendOptions() {}

    /** {@code state.backend.heap.incremental.max-chain-length}: Delta sections after a key group's base before the next checkpoint writes a new base for it (bounds restore time). */
    public static final ConfigOption<Integer> MAX_CHAIN_LENGTH = ConfigOptions.key(
                    "state.backend.heap.incremental.max-chain-length")
            .intType()
            .defaultValue(32)
            .withDescription("Delta sections after a key group's base before the next checkpoint writes a new base"
                    + " for it (bounds restore time).");

    /** {@code state.backend.heap.incremental.max-delta-ratio}: Bytes of a key group's deltas, as a multiple of its base's, above which the next checkpoint writes a new base for it. */
    public static final ConfigOption<Double> MAX_DELTA_RATIO = ConfigOptions.key(
                    "state.backend.heap.incremental.max-delta-ratio")
            .doubleType()
            .defaultValue(0.3)
            .withDescription("Bytes of a key group's deltas, as a multiple of its base's, above which the next"
                    + " checkpoint writes a new base for it.");

    /** {@return the options of this class, for documentation and validation} */
    public static List<ConfigOption<?>> all() {
        return List.of(MAX_CHAIN_LENGTH, MAX_DELTA_RATIO);
    }
}

package dev.cairn.state.heap.internal;

/**
 * Whether a heap backend's checkpoints are incremental, and when a key group gets a new base.
 *
 * @param enabled whether checkpoints write deltas
 * @param maxChainLength delta sections after a base before a new base is written
 * @param maxDeltaRatio delta bytes, as a multiple of the base's, above which a new base is written
 */
public record IncrementalSettings(boolean enabled, int maxChainLength, double maxDeltaRatio) {
    /** Full checkpoints. */
    public static final IncrementalSettings OFF = new IncrementalSettings(false, 0, 0);

    /**
     * Incremental checkpoints with these limits.
     *
     * @param maxChainLength delta sections after a base before a new base is written
     * @param maxDeltaRatio delta bytes, as a multiple of the base's, above which a new base is written
     */
    public IncrementalSettings(int maxChainLength, double maxDeltaRatio) {
        this(true, maxChainLength, maxDeltaRatio);
    }

    /**
     * Whether a key group whose chain has {@code deltas} sections of {@code deltaBytes} after a base of
     * {@code baseBytes} gets a new base now.
     *
     * @param deltas delta sections after the base
     * @param deltaBytes their bytes
     * @param baseBytes the base section's bytes
     * @return whether to write a new base
     */
    boolean needsNewBase(int deltas, long deltaBytes, long baseBytes) {
        return deltas >= maxChainLength || deltaBytes > maxDeltaRatio * baseBytes;
    }
}

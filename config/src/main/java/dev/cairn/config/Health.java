package dev.cairn.config;

import java.util.Objects;

/**
 * How a {@link StateEnvironment}'s state is doing ({@link StateEnvironment#health()}), for a health endpoint or a
 * readiness probe.
 *
 * @param status UP, DEGRADED or DOWN
 * @param reason why, in one line for people
 */
public record Health(Status status, String reason) {
    /** The verdict, best first. */
    public enum Status {
        /** Checkpoints complete as configured (or checkpointing is off). */
        UP,
        /** Working, with a problem that may resolve itself: a restore in progress, the last checkpoint failed. */
        DEGRADED,
        /** No checkpoint completed for three checkpoint intervals: a crash now would lose that much progress. */
        DOWN
    }

    /**
     * Checks the arguments.
     *
     * @param status UP, DEGRADED or DOWN
     * @param reason why, in one line for people
     */
    public Health {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }
}

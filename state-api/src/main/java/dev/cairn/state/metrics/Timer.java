package dev.cairn.state.metrics;

import java.time.Duration;

/** Durations of an event that happens now and then (a checkpoint, a restore, an upload); reporters aggregate them. */
public interface Timer {
    /**
     * Records one event's duration.
     *
     * @param nanos the duration in nanoseconds, not negative
     */
    void record(long nanos);

    /**
     * Records one event's duration.
     *
     * @param duration the duration, not negative
     */
    default void record(Duration duration) {
        record(duration.toNanos());
    }
}

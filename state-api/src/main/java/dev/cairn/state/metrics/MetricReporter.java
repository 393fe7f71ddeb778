package dev.cairn.state.metrics;

import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Exports a {@link MetricRegistry}'s meters to a metrics library. Added to a registry, it is told of every meter
 * already there, then of each one added or removed later, on the thread that adds or removes it. Counters and
 * gauges are read when the library asks; timers and distributions push each recorded value to the consumer the
 * reporter returns (so values recorded before the reporter was added are not seen; counters are counted since
 * their registration).
 */
public interface MetricReporter {
    /**
     * A counter was registered.
     *
     * @param id its identity
     * @param count reads its count (monotonic)
     */
    void counterAdded(MetricId id, LongSupplier count);

    /**
     * A gauge was registered.
     *
     * @param id its identity
     * @param value reads its value
     */
    void gaugeAdded(MetricId id, DoubleSupplier value);

    /**
     * A timer was registered.
     *
     * @param id its identity
     * @return what receives each recorded duration in nanoseconds; called on the recording thread
     */
    LongConsumer timerAdded(MetricId id);

    /**
     * A distribution was registered.
     *
     * @param id its identity
     * @return what receives each recorded amount; called on the recording thread
     */
    DoubleConsumer distributionAdded(MetricId id);

    /**
     * A meter was removed (its group closed, or a gauge replaced).
     *
     * @param id its identity
     */
    void removed(MetricId id);
}

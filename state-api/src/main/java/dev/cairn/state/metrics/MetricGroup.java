package dev.cairn.state.metrics;

import java.util.function.DoubleSupplier;

/**
 * Where a component registers its meters: every meter gets this group's tags. A child group adds a tag
 * ({@link #addGroup}); closing a group removes the meters registered through it and its children, so a disposed
 * backend leaves nothing behind. Registering the same name twice in a group gives the same counter, timer or
 * distribution; a gauge registered again replaces the earlier one. Thread-safe.
 *
 * <p><b>Caveats.</b> Meters are for events (checkpoints, restores, uploads), not for per-record paths; gauges are
 * read on a reporter's thread, so their suppliers must be thread-safe and cheap.
 */
public interface MetricGroup extends AutoCloseable {
    /**
     * Registers (or finds) a counter.
     *
     * @param name the dotted name
     * @param description what it counts
     * @return the counter
     */
    Counter counter(String name, String description);

    /**
     * Registers a gauge, replacing one of the same name in this group.
     *
     * @param name the dotted name
     * @param description what it shows
     * @param baseUnit its unit, or {@code null}
     * @param value reads the current value; thread-safe and cheap
     */
    void gauge(String name, String description, String baseUnit, DoubleSupplier value);

    /**
     * Registers (or finds) a timer.
     *
     * @param name the dotted name
     * @param description what it times
     * @return the timer
     */
    Timer timer(String name, String description);

    /**
     * Registers (or finds) a distribution.
     *
     * @param name the dotted name
     * @param description what it measures
     * @param baseUnit its unit, or {@code null}
     * @return the distribution
     */
    Distribution distribution(String name, String description, String baseUnit);

    /**
     * A child group whose meters carry one more tag.
     *
     * @param tagKey the tag's key, such as {@code operator.id}
     * @param tagValue the tag's value
     * @return the child group
     */
    MetricGroup addGroup(String tagKey, String tagValue);

    /** Removes every meter registered through this group and its children. */
    @Override
    void close();

    /** {@return a group that registers nothing: its counters count, its timers and gauges are dropped} */
    static MetricGroup noop() {
        return NoopMetricGroup.INSTANCE;
    }
}

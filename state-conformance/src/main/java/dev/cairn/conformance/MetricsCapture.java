package dev.cairn.conformance;

import dev.cairn.state.metrics.MetricId;
import dev.cairn.state.metrics.MetricReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * A {@link MetricReporter} for tests: what a registry holds, read by meter name (one meter per name unless tags are
 * given). Timers and distributions keep what they recorded since the reporter was added.
 */
public final class MetricsCapture implements MetricReporter {
    private final Map<MetricId, LongSupplier> counters = new ConcurrentHashMap<>();
    private final Map<MetricId, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<MetricId, List<Long>> timers = new ConcurrentHashMap<>();
    private final Map<MetricId, List<Double>> distributions = new ConcurrentHashMap<>();

    @Override
    public void counterAdded(MetricId id, LongSupplier count) {
        counters.put(id, count);
    }

    @Override
    public void gaugeAdded(MetricId id, DoubleSupplier value) {
        gauges.put(id, value);
    }

    @Override
    public LongConsumer timerAdded(MetricId id) {
        return timers.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>())::add;
    }

    @Override
    public DoubleConsumer distributionAdded(MetricId id) {
        return distributions.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>())::add;
    }

    @Override
    public void removed(MetricId id) {
        counters.remove(id);
        gauges.remove(id);
        timers.remove(id);
        distributions.remove(id);
    }

    private static <V> V only(Map<MetricId, V> meters, String name, Map<String, String> tags) {
        List<Map.Entry<MetricId, V>> found = new ArrayList<>();
        for (Map.Entry<MetricId, V> entry : meters.entrySet()) {
            if (entry.getKey().name().equals(name)
                    && entry.getKey().tags().entrySet().containsAll(tags.entrySet())) {
                found.add(entry);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("Expected one meter " + name + tags + ", found "
                    + found.stream().map(Map.Entry::getKey).toList());
        }
        return found.get(0).getValue();
    }

    /** {@return the count of the counter {@code name}} */
    public long counter(String name) {
        return only(counters, name, Map.of()).getAsLong();
    }

    /** {@return the value of the gauge {@code name} with (at least) {@code tags}} */
    public double gauge(String name, Map<String, String> tags) {
        return only(gauges, name, tags).getAsDouble();
    }

    /** {@return the value of the gauge {@code name}} */
    public double gauge(String name) {
        return gauge(name, Map.of());
    }

    /** {@return the durations (nanoseconds) the timer {@code name} recorded since this reporter was added} */
    public List<Long> timer(String name) {
        return List.copyOf(only(timers, name, Map.of()));
    }

    /** {@return the amounts the distribution {@code name} recorded since this reporter was added} */
    public List<Double> distribution(String name) {
        return List.copyOf(only(distributions, name, Map.of()));
    }

    /** {@return every meter registered now} */
    public List<MetricId> ids() {
        List<MetricId> ids = new ArrayList<>();
        ids.addAll(counters.keySet());
        ids.addAll(gauges.keySet());
        ids.addAll(timers.keySet());
        ids.addAll(distributions.keySet());
        return ids;
    }
}

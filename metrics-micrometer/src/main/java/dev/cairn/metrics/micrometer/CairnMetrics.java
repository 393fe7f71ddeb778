package dev.cairn.metrics.micrometer;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.metrics.MetricId;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.metrics.MetricReporter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Binds a {@link StateEnvironment}'s metrics to Micrometer:
 *
 * <pre>{@code
 * PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * CairnMetrics.of(env).bindTo(prometheus);
 * }</pre>
 *
 * <p>Every Cairn meter becomes a Micrometer meter of the same name and tags ({@code pipeline.name}, and for a
 * backend's meters {@code operator.id} and {@code subtask.index}): counters as {@link FunctionCounter}s and gauges
 * as {@link Gauge}s read at scrape time, timers as {@link Timer}s and distributions as {@link DistributionSummary}s
 * fed as events happen (so the registry's histogram and percentile settings apply). Meters that appear later —
 * backends created after binding — are bound as they appear, and removed from the registry when their backend
 * closes. {@link #close()} unbinds. Binding costs nothing per state access: Cairn records only on checkpoints,
 * restores, uploads and materializations.
 */
public final class CairnMetrics implements MeterBinder, AutoCloseable {
    private final MetricRegistry metrics;
    private final List<Reporter> bound = new CopyOnWriteArrayList<>();

    /**
     * A binder for the meters of {@code metrics}.
     *
     * @param metrics the registry whose meters are bound
     */
    public CairnMetrics(MetricRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * {@return a binder for the environment's meters}
     *
     * @param environment the state environment
     */
    public static CairnMetrics of(StateEnvironment environment) {
        return new CairnMetrics(environment.getMetricRegistry());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Reporter reporter = new Reporter(Objects.requireNonNull(registry, "registry"));
        bound.add(reporter);
        metrics.addReporter(reporter);
    }

    /** Removes the bound meters from every registry this binder was bound to. */
    @Override
    public void close() {
        for (Reporter reporter : bound) {
            metrics.removeReporter(reporter);
        }
        bound.clear();
    }

    /** Turns Cairn meters into one registry's meters, and removes them again. */
    private static final class Reporter implements MetricReporter {
        private final MeterRegistry registry;
        /** The Micrometer meter of each Cairn meter, and the objects its weak references read (kept alive here). */
        private final Map<MetricId, Bound> meters = new ConcurrentHashMap<>();

        private record Bound(Meter meter, Object source) {}

        Reporter(MeterRegistry registry) {
            this.registry = registry;
        }

        private static Tags tags(MetricId id) {
            List<Tag> tags = new ArrayList<>();
            id.tags().forEach((key, value) -> tags.add(Tag.of(key, value)));
            return Tags.of(tags);
        }

        @Override
        public void counterAdded(MetricId id, LongSupplier count) {
            FunctionCounter counter = FunctionCounter.builder(id.name(), count, LongSupplier::getAsLong)
                    .description(id.description())
                    .baseUnit(id.baseUnit())
                    .tags(tags(id))
                    .register(registry);
            meters.put(id, new Bound(counter, count));
        }

        @Override
        public void gaugeAdded(MetricId id, DoubleSupplier value) {
            Gauge gauge = Gauge.builder(id.name(), value, DoubleSupplier::getAsDouble)
                    .description(id.description())
                    .baseUnit(id.baseUnit())
                    .tags(tags(id))
                    .strongReference(true)
                    .register(registry);
            meters.put(id, new Bound(gauge, value));
        }

        @Override
        public LongConsumer timerAdded(MetricId id) {
            Timer timer = Timer.builder(id.name())
                    .description(id.description())
                    .tags(tags(id))
                    .register(registry);
            meters.put(id, new Bound(timer, null));
            return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public DoubleConsumer distributionAdded(MetricId id) {
            DistributionSummary summary = DistributionSummary.builder(id.name())
                    .description(id.description())
                    .baseUnit(id.baseUnit())
                    .tags(tags(id))
                    .register(registry);
            meters.put(id, new Bound(summary, null));
            return summary::record;
        }

        @Override
        public void removed(MetricId id) {
            Bound removed = meters.remove(id);
            if (removed != null) {
                registry.remove(removed.meter());
            }
        }
    }
}

package dev.cairn.state.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;

/**
 * The meters of one owner (a {@code StateEnvironment}), and the root {@link MetricGroup} they are registered
 * through. {@link MetricReporter}s added here export them. Closed with its owner: closing removes every meter.
 *
 * <p>Design: a counter counts itself (a {@link LongAdder}) and gauges are suppliers, so reporters read both when
 * they like and see counts since registration; a timer or distribution keeps nothing and forwards each value to
 * the reporters' consumers (a list read once per value), so a library's histograms and percentiles apply.
 * Registration and removal take one lock; recording takes none.
 */
public final class MetricRegistry implements MetricGroup {
    /** A meter's place in the registry: name and tags. */
    private record Key(String name, Map<String, String> tags) {}

    private final Map<Key, Meter> meters = new LinkedHashMap<>();
    private final List<MetricReporter> reporters = new CopyOnWriteArrayList<>();
    private final Group root;

    /** A registry whose meters carry no common tags. */
    public MetricRegistry() {
        this(Map.of());
    }

    /**
     * A registry whose meters all carry {@code commonTags} (for example {@code pipeline.name}).
     *
     * @param commonTags the tags of every meter
     */
    public MetricRegistry(Map<String, String> commonTags) {
        this.root = new Group(null, new LinkedHashMap<>(commonTags));
    }

    /**
     * Adds a reporter: it is told of every meter now, and of later ones as they come and go.
     *
     * @param reporter the reporter
     */
    public void addReporter(MetricReporter reporter) {
        Objects.requireNonNull(reporter, "reporter");
        synchronized (meters) {
            reporters.add(reporter);
            for (Meter meter : meters.values()) {
                meter.announce(reporter);
            }
        }
    }

    /**
     * Removes a reporter: it is told that each meter is removed, and hears nothing more.
     *
     * @param reporter the reporter
     */
    public void removeReporter(MetricReporter reporter) {
        synchronized (meters) {
            if (reporters.remove(reporter)) {
                for (Meter meter : meters.values()) {
                    meter.forget(reporter);
                    reporter.removed(meter.id);
                }
            }
        }
    }

    /** {@return the identities of the meters registered now} */
    public List<MetricId> metrics() {
        synchronized (meters) {
            return meters.values().stream().map(meter -> meter.id).toList();
        }
    }

    @Override
    public Counter counter(String name, String description) {
        return root.counter(name, description);
    }

    @Override
    public void gauge(String name, String description, String baseUnit, DoubleSupplier value) {
        root.gauge(name, description, baseUnit, value);
    }

    @Override
    public Timer timer(String name, String description) {
        return root.timer(name, description);
    }

    @Override
    public Distribution distribution(String name, String description, String baseUnit) {
        return root.distribution(name, description, baseUnit);
    }

    @Override
    public MetricGroup addGroup(String tagKey, String tagValue) {
        return root.addGroup(tagKey, tagValue);
    }

    /** Removes every meter (reporters are told) and keeps the reporters. */
    @Override
    public void close() {
        synchronized (meters) {
            root.close();
            // Meters of groups closed earlier and registered into again are detached from the tree: remove them too.
            for (Meter meter : List.copyOf(meters.values())) {
                meter.owner.remove(meter);
            }
        }
    }

    /** A registered meter: its identity, the group that owns it, and how reporters see it. */
    private abstract static class Meter {
        final MetricId id;
        final Group owner;

        Meter(MetricId id, Group owner) {
            this.id = id;
            this.owner = owner;
        }

        abstract void announce(MetricReporter reporter);

        void forget(MetricReporter reporter) {}
    }

    private static final class CounterMeter extends Meter implements Counter {
        private final LongAdder count = new LongAdder();

        CounterMeter(MetricId id, Group owner) {
            super(id, owner);
        }

        @Override
        public void increment(long amount) {
            count.add(amount);
        }

        @Override
        public long count() {
            return count.sum();
        }

        @Override
        void announce(MetricReporter reporter) {
            reporter.counterAdded(id, this::count);
        }
    }

    private static final class GaugeMeter extends Meter {
        private final DoubleSupplier value;

        GaugeMeter(MetricId id, Group owner, DoubleSupplier value) {
            super(id, owner);
            this.value = value;
        }

        @Override
        void announce(MetricReporter reporter) {
            reporter.gaugeAdded(id, value);
        }
    }

    /**
     * A meter that keeps nothing and forwards each value to one consumer per reporter: the list is replaced, never
     * changed, under the registry's lock, and read once per value.
     *
     * @param <S> the consumer type
     */
    private abstract static class ForwardingMeter<S> extends Meter {
        private final Map<MetricReporter, S> byReporter = new LinkedHashMap<>();
        volatile List<S> sinks = List.of();

        ForwardingMeter(MetricId id, Group owner) {
            super(id, owner);
        }

        /** {@return the consumer {@code reporter} gives for this meter} */
        abstract S sinkOf(MetricReporter reporter);

        @Override
        final void announce(MetricReporter reporter) {
            byReporter.put(reporter, Objects.requireNonNull(sinkOf(reporter), "consumer of " + id));
            sinks = List.copyOf(byReporter.values());
        }

        @Override
        final void forget(MetricReporter reporter) {
            byReporter.remove(reporter);
            sinks = List.copyOf(byReporter.values());
        }
    }

    private static final class TimerMeter extends ForwardingMeter<LongConsumer> implements Timer {
        TimerMeter(MetricId id, Group owner) {
            super(id, owner);
        }

        @Override
        LongConsumer sinkOf(MetricReporter reporter) {
            return reporter.timerAdded(id);
        }

        @Override
        public void record(long nanos) {
            for (LongConsumer sink : sinks) {
                sink.accept(nanos);
            }
        }
    }

    private static final class DistributionMeter extends ForwardingMeter<DoubleConsumer> implements Distribution {
        DistributionMeter(MetricId id, Group owner) {
            super(id, owner);
        }

        @Override
        DoubleConsumer sinkOf(MetricReporter reporter) {
            return reporter.distributionAdded(id);
        }

        @Override
        public void record(double amount) {
            for (DoubleConsumer sink : sinks) {
                sink.accept(amount);
            }
        }
    }

    /** A group: its tags, and the groups created from it (closed with it). */
    private final class Group implements MetricGroup {
        private final Group parent;
        private final Map<String, String> tags;
        private final List<Group> children = new ArrayList<>();

        Group(Group parent, Map<String, String> tags) {
            this.parent = parent;
            this.tags = tags;
        }

        private Key key(String name) {
            return new Key(Objects.requireNonNull(name, "name"), tags);
        }

        private MetricId id(String name, MetricId.Kind kind, String description, String baseUnit) {
            return new MetricId(name, tags, kind, description, baseUnit);
        }

        /** The meter of this name and tags, if it is of {@code type}; registers {@code created} otherwise. */
        private <M extends Meter> M findOrRegister(String name, Class<M> type, java.util.function.Supplier<M> created) {
            synchronized (meters) {
                Meter existing = meters.get(key(name));
                if (type.isInstance(existing)) {
                    return type.cast(existing);
                }
                if (existing != null) {
                    throw new IllegalArgumentException("Metric " + existing.id + " is a " + existing.id.kind()
                            + ", not a " + created.get().id.kind());
                }
                M meter = created.get();
                meters.put(key(name), meter);
                reporters.forEach(meter::announce);
                return meter;
            }
        }

        @Override
        public Counter counter(String name, String description) {
            return findOrRegister(
                    name,
                    CounterMeter.class,
                    () -> new CounterMeter(id(name, MetricId.Kind.COUNTER, description, null), this));
        }

        @Override
        public void gauge(String name, String description, String baseUnit, DoubleSupplier value) {
            Objects.requireNonNull(value, "value");
            synchronized (meters) {
                Meter existing = meters.get(key(name));
                if (existing != null && !(existing instanceof GaugeMeter)) {
                    throw new IllegalArgumentException(
                            "Metric " + existing.id + " is a " + existing.id.kind() + ", not a GAUGE");
                }
                if (existing != null) {
                    remove(existing);
                }
                GaugeMeter meter = new GaugeMeter(id(name, MetricId.Kind.GAUGE, description, baseUnit), this, value);
                meters.put(key(name), meter);
                reporters.forEach(meter::announce);
            }
        }

        @Override
        public Timer timer(String name, String description) {
            return findOrRegister(
                    name,
                    TimerMeter.class,
                    () -> new TimerMeter(id(name, MetricId.Kind.TIMER, description, "nanoseconds"), this));
        }

        @Override
        public Distribution distribution(String name, String description, String baseUnit) {
            return findOrRegister(
                    name,
                    DistributionMeter.class,
                    () -> new DistributionMeter(id(name, MetricId.Kind.DISTRIBUTION, description, baseUnit), this));
        }

        @Override
        public MetricGroup addGroup(String tagKey, String tagValue) {
            Map<String, String> childTags = new LinkedHashMap<>(tags);
            childTags.put(Objects.requireNonNull(tagKey, "tagKey"), Objects.requireNonNull(tagValue, "tagValue"));
            Group child = new Group(this, childTags);
            synchronized (meters) {
                children.add(child);
            }
            return child;
        }

        @Override
        public void close() {
            synchronized (meters) {
                for (Meter meter : List.copyOf(meters.values())) {
                    if (meter.owner == this) {
                        remove(meter);
                    }
                }
                for (Group child : List.copyOf(children)) {
                    child.close();
                }
                if (parent != null) {
                    parent.children.remove(this);
                }
            }
        }

        private void remove(Meter meter) {
            meters.remove(new Key(meter.id.name(), meter.id.tags()));
            for (MetricReporter reporter : reporters) {
                meter.forget(reporter);
                reporter.removed(meter.id);
            }
        }
    }

    @Override
    public String toString() {
        return "MetricRegistry" + Arrays.toString(metrics().toArray());
    }
}

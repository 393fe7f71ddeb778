package dev.cairn.state.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** {@link MetricGroup#noop()}: nothing is registered anywhere. */
final class NoopMetricGroup implements MetricGroup {
    static final NoopMetricGroup INSTANCE = new NoopMetricGroup();
    private static final Timer TIMER = nanos -> {};
    private static final Distribution DISTRIBUTION = amount -> {};

    private NoopMetricGroup() {}

    @Override
    public Counter counter(String name, String description) {
        AtomicLong count = new AtomicLong();
        return new Counter() {
            @Override
            public void increment(long amount) {
                count.addAndGet(amount);
            }

            @Override
            public long count() {
                return count.get();
            }
        };
    }

    @Override
    public void gauge(String name, String description, String baseUnit, DoubleSupplier value) {}

    @Override
    public Timer timer(String name, String description) {
        return TIMER;
    }

    @Override
    public Distribution distribution(String name, String description, String baseUnit) {
        return DISTRIBUTION;
    }

    @Override
    public MetricGroup addGroup(String tagKey, String tagValue) {
        return this;
    }

    @Override
    public void close() {}
}

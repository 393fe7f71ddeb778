package dev.cairn.checkpoint.internal;

import java.util.function.LongSupplier;

/**
 * A dependency-free bridge to the application's metrics library: Cairn registers named gauges, the application
 * reads them (or adapts them to Micrometer, Dropwizard, ...).
 */
@FunctionalInterface
public interface MetricsReporter {
    /** Registers a gauge; {@code value} is thread-safe and cheap. */
    void gauge(String name, LongSupplier value);
}

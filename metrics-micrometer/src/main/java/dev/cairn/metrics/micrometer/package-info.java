/**
 * Cairn's metrics exported to Micrometer: {@link dev.cairn.metrics.micrometer.CairnMetrics} binds a {@code
 * StateEnvironment}'s {@link dev.cairn.state.metrics.MetricRegistry} to any {@code MeterRegistry} (Prometheus,
 * OTLP, JMX, …).
 */
package dev.cairn.metrics.micrometer;

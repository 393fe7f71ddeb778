/**
 * Cairn's metrics, without a dependency on any metrics library: Cairn's components register counters, gauges,
 * timers and distributions with tags on a {@link dev.cairn.state.metrics.MetricGroup}; a
 * {@link dev.cairn.state.metrics.MetricReporter} (such as the {@code cairn-metrics-micrometer} binder) exports
 * everything a {@link dev.cairn.state.metrics.MetricRegistry} holds. Nothing is recorded per state access: meters
 * move on checkpoints, restores, uploads and materializations, and gauges are read when a reporter asks.
 */
package dev.cairn.state.metrics;

package dev.cairn.changelog.internal;

import dev.cairn.state.metrics.Counter;
import dev.cairn.state.metrics.Distribution;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.metrics.Timer;

/**
 * The changelog storage's upload meters, with the names of Flink's {@code ChangelogStorage} metrics: one upload
 * is one batch of segments written as one file.
 */
record UploadMetrics(
        Counter uploads,
        Counter failures,
        Distribution sizes,
        Timer latencies,
        Distribution attempts,
        Distribution batchSizes) {
    /** Meters that go nowhere, until the storage's metrics are registered. */
    static final UploadMetrics NONE = of(MetricGroup.noop());

    static UploadMetrics of(MetricGroup group) {
        return new UploadMetrics(
                group.counter("cairn.changelog.numberOfUploadRequests", "Changelog uploads (one file each)"),
                group.counter("cairn.changelog.numberOfUploadFailures", "Changelog uploads failed after every retry"),
                group.distribution("cairn.changelog.uploadSizes", "Bytes of a changelog upload", "bytes"),
                group.timer("cairn.changelog.uploadLatencies", "Time a changelog upload took, retries included"),
                group.distribution("cairn.changelog.attemptsPerUpload", "Attempts a successful upload took", null),
                group.distribution(
                        "cairn.changelog.uploadBatchSizes", "Segments (of all writers) in one changelog upload", null));
    }
}

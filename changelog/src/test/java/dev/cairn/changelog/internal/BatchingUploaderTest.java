package dev.cairn.changelog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.conformance.MetricsCapture;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchingUploaderTest {
    /** The uploader's meters, captured by name. */
    private static MetricsCapture metersOf(BatchingUploader uploader) {
        MetricRegistry registry = new MetricRegistry();
        MetricsCapture meters = new MetricsCapture();
        registry.addReporter(meters);
        uploader.registerMetrics(registry);
        return meters;
    }

    /** Counts files; fails the first {@code failures} attempts; each write waits for {@code release} if given. */
    private static class Files implements CheckpointStreamFactory {
        final MemoryCheckpointStreamFactory memory = new MemoryCheckpointStreamFactory();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger failures;
        final CountDownLatch release;

        Files(int failures, CountDownLatch release) {
            this.failures = new AtomicInteger(failures);
            this.release = release;
        }

        @Override
        public CheckpointStateOutputStream createOutputStream(StateScope scope) throws IOException {
            created.incrementAndGet();
            CheckpointStateOutputStream out = memory.createOutputStream(scope);
            return new CheckpointStateOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (failures.getAndDecrement() > 0) {
                        throw new IOException("injected upload failure");
                    }
                    try {
                        if (release != null) {
                            release.await();
                        }
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                    out.write(b, off, len);
                }

                @Override
                public long getPos() throws IOException {
                    return out.getPos();
                }

                @Override
                public StreamStateHandle closeAndGetHandle() throws IOException {
                    return out.closeAndGetHandle();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }

    private static BatchingUploader.Settings settings(Duration delay, long sizeThreshold, long inFlight, int attempts) {
        return new BatchingUploader.Settings(
                delay, sizeThreshold, inFlight, attempts, Duration.ofSeconds(5), Duration.ofMillis(1), 2);
    }

    @Test
    void requestsWithinThePersistDelayShareOneFile() throws Exception {
        Files files = new Files(0, null);
        try (BatchingUploader uploader =
                new BatchingUploader(files, settings(Duration.ofMillis(200), 1 << 20, 1 << 20, 1))) {
            CompletableFuture<Segment> first = uploader.persist(new byte[] {1, 2, 3}, 0, 3);
            CompletableFuture<Segment> second = uploader.persist(new byte[] {4, 5}, 3, 5);
            Segment a = first.get(5, TimeUnit.SECONDS);
            Segment b = second.get(5, TimeUnit.SECONDS);
            assertThat(files.created).hasValue(1);
            assertThat(b.stream()).isSameAs(a.stream());
            assertThat(a.offset()).isZero();
            assertThat(b.offset()).isEqualTo(3);
            assertThat(b.length()).isEqualTo(2);
        }
    }

    @Test
    void reachingTheSizeThresholdUploadsWithoutWaitingForTheDelay() throws Exception {
        Files files = new Files(0, null);
        try (BatchingUploader uploader = new BatchingUploader(files, settings(Duration.ofMinutes(10), 4, 1 << 20, 1))) {
            Segment segment = uploader.persist(new byte[] {1, 2, 3, 4, 5}, 0, 1).get(5, TimeUnit.SECONDS);
            assertThat(segment.length()).isEqualTo(5);
        }
    }

    @Test
    void aFailedAttemptIsRetried() throws Exception {
        Files files = new Files(2, null);
        try (BatchingUploader uploader = new BatchingUploader(files, settings(Duration.ZERO, 1, 1 << 20, 3))) {
            MetricsCapture meters = metersOf(uploader);
            Segment segment = uploader.persist(new byte[] {7}, 0, 1).get(5, TimeUnit.SECONDS);
            assertThat(files.created).as("two failed attempts, then success").hasValue(3);
            assertThat(segment.stream().getStateSize()).isEqualTo(1);
            assertThat(meters.counter("cairn.changelog.numberOfUploadRequests")).isEqualTo(1);
            assertThat(meters.counter("cairn.changelog.numberOfUploadFailures")).isZero();
            assertThat(meters.distribution("cairn.changelog.attemptsPerUpload")).containsExactly(3.0);
            assertThat(meters.distribution("cairn.changelog.uploadSizes")).containsExactly(1.0);
            assertThat(meters.distribution("cairn.changelog.uploadBatchSizes")).containsExactly(1.0);
            assertThat(meters.timer("cairn.changelog.uploadLatencies"))
                    .singleElement()
                    .satisfies(nanos -> assertThat(nanos).isPositive());
        }
    }

    @Test
    void anUploadFailingEveryAttemptFailsItsFuture() {
        Files files = new Files(Integer.MAX_VALUE, null);
        try (BatchingUploader uploader = new BatchingUploader(files, settings(Duration.ZERO, 1, 1 << 20, 3))) {
            MetricsCapture meters = metersOf(uploader);
            assertThatThrownBy(() -> uploader.persist(new byte[] {7}, 0, 1).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("after 3 attempt(s)")
                    .hasMessageContaining("injected upload failure");
            assertThat(meters.counter("cairn.changelog.numberOfUploadFailures")).isEqualTo(1);
            assertThat(meters.timer("cairn.changelog.uploadLatencies"))
                    .as("only successful uploads are timed")
                    .isEmpty();
        }
    }

    @Test
    void aTimedOutAttemptIsAbandonedAndRetried() throws Exception {
        // The first attempt hangs until the uploader gives up on it (a latch nobody releases).
        Files files = new Files(0, new CountDownLatch(1)) {
            final AtomicInteger attempts = new AtomicInteger();

            @Override
            public CheckpointStateOutputStream createOutputStream(StateScope scope) throws IOException {
                // only the first attempt hangs
                return attempts.incrementAndGet() == 1
                        ? super.createOutputStream(scope)
                        : new Files(0, null).createOutputStream(scope);
            }
        };
        BatchingUploader.Settings quickTimeout = new BatchingUploader.Settings(
                Duration.ZERO, 1, 1 << 20, 2, Duration.ofMillis(200), Duration.ofMillis(1), 2);
        try (BatchingUploader uploader = new BatchingUploader(files, quickTimeout)) {
            Segment segment = uploader.persist(new byte[] {9, 9}, 0, 1).get(10, TimeUnit.SECONDS);
            assertThat(segment.length()).isEqualTo(2);
        }
    }

    /** Waits (at most 10 s) until {@code thread} is parked: blocked on a lock or condition, not running. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("%s parks within 10 s", thread).isLessThan(deadline);
            thread.join(1); // returns at once if the thread ended, which the state check then reports
            assertThat(thread.isAlive())
                    .as("the writer returned instead of waiting")
                    .isTrue();
        }
    }

    @Test
    void writersBlockWhileTheInFlightLimitIsReached() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Files files = new Files(0, release);
        try (BatchingUploader uploader = new BatchingUploader(files, settings(Duration.ZERO, 1, 10, 1))) {
            MetricsCapture meters = metersOf(uploader);
            assertThat(uploader.backPressure()).isEmpty();
            CompletableFuture<Segment> first = uploader.persist(new byte[8], 0, 1);
            CompletableFuture<CompletableFuture<Segment>> second = new CompletableFuture<>();
            Thread writer = new Thread(() -> second.complete(uploader.persist(new byte[8], 1, 2)));
            writer.start();
            awaitWaiting(writer);
            assertThat(second)
                    .as("8 + 8 bytes exceed the limit of 10: the writer waits")
                    .isNotDone();
            assertThat(uploader.backPressure())
                    .hasValueSatisfying(reason -> assertThat(reason)
                            .contains("1 writer(s) waiting")
                            .contains("8 bytes in flight (limit 10)"));
            assertThat(meters.gauge("cairn.changelog.backPressuredWriters")).isEqualTo(1);
            assertThat(meters.gauge("cairn.changelog.inFlightBytes")).isEqualTo(8);
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            assertThat(second.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS).length())
                    .isEqualTo(8);
            assertThat(uploader.backPressure()).as("nobody waits any more").isEmpty();
        }
    }
}

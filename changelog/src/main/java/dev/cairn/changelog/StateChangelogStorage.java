package dev.cairn.changelog;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.spi.CheckpointStreamFactory;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a changelog backend's writers put their change segments and materialized snapshots. One storage is
 * shared by all backends of a job, so uploads of several backends can go into one file.
 *
 * <p>Ownership: what a writer persisted is the writer's until a completed checkpoint references it. A writer that
 * no longer needs a segment no completed checkpoint references {@link #discard discards} it; one a completed
 * checkpoint references it {@link #confirm confirms}, after which the checkpoint coordinator's reference counting
 * deletes it. Files holding several segments are deleted only when all of them are discarded.
 */
public interface StateChangelogStorage extends AutoCloseable {

    /**
     * Uploads one segment of change records ({@code changes}, sequence numbers {@code [from, to)}); the future
     * completes with where it is, or fails when the upload failed (after the configured retries). May block while
     * too many bytes are in flight (back-pressure).
     *
     * @param changes the encoded change records
     * @param fromSequence the first sequence number they hold
     * @param toSequence one past the last
     * @return where the segment is, once uploaded
     */
    CompletableFuture<Segment> persist(byte[] changes, long fromSequence, long toSequence);

    /**
     * A segment persisted by this storage is referenced by a completed checkpoint.
     *
     * @param segment a segment this storage persisted
     */
    default void confirm(Segment segment) {}

    /**
     * A segment persisted by this storage is needed by nobody (no completed checkpoint references it).
     *
     * @param segment a segment this storage persisted
     */
    default void discard(Segment segment) {}

    /** {@return where materialized snapshots of the wrapped backends are written (their files are never inlined)} */
    CheckpointStreamFactory materializationStreams();

    /**
     * Registers this storage's metrics (uploads, their sizes, latencies and failures, the bytes in flight); none by
     * default.
     *
     * @param group where the metrics are registered
     */
    default void registerMetrics(MetricGroup group) {}

    /**
     * Why writers are held back now, if they are (uploads cannot keep up: the in-flight limit is reached); never by
     * default.
     *
     * @return a one-line reason, or empty
     */
    default Optional<String> backPressure() {
        return Optional.empty();
    }

    /** Waits for nothing; uploads still running complete or fail on their own. */
    @Override
    void close();
}

package dev.cairn.state.support;

import dev.cairn.state.spi.SnapshotResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous part of a snapshot: a {@link java.util.concurrent.RunnableFuture} that writes the snapshot when
 * run and can be cancelled at any time — by the caller, or by its backend's close-time
 * {@link InFlightSnapshots#cancelAll()}.
 *
 * <p><b>Cancellation.</b> Once cancelled, {@link #get()} throws {@link CancellationException}, never a result of a
 * closed backend and never the I/O error a closing backend may cause in the writer. The writer checks
 * {@link #throwIfCancelled()} between units of work (key groups, files) and stops; what it wrote is discarded by
 * the writer's own failure handling, and a result that completes after the cancellation is handed to the
 * {@code discard} action instead of being delivered. So a cancelled snapshot leaves nothing in the storage.
 *
 * <p><b>Resources.</b> What the synchronous part captured (a snapshot version, a RocksDB snapshot, local files) is
 * released exactly once: by the writer when it ends, or — if the task is cancelled before it ever ran — by the
 * cancellation. It is never released under a running writer.
 *
 * @param <T> the handle type
 */
public final class AsyncSnapshotTask<T> extends FutureTask<SnapshotResult<T>> {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncSnapshotTask.class);

    /** Writes the snapshot; may call {@link AsyncSnapshotTask#throwIfCancelled()} on the task it is given. */
    @FunctionalInterface
    public interface Writer<T> {
        /**
         * Writes the snapshot.
         *
         * @param task the task, to check for cancellation
         * @return the result
         * @throws Exception to fail the snapshot
         */
        SnapshotResult<T> write(AsyncSnapshotTask<T> task) throws Exception;
    }

    /** Deletes what a result references that nobody else does; called for a result completed after cancellation. */
    @FunctionalInterface
    public interface Discard<T> {
        /**
         * Deletes a result's files.
         *
         * @param result the result to discard
         * @throws Exception when deleting fails; logged
         */
        void discard(SnapshotResult<T> result) throws Exception;
    }

    private static final int NOT_STARTED = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;

    private final Discard<T> discard;
    private final Runnable release;
    private final AtomicInteger phase;
    private volatile InFlightSnapshots tracker;

    private AsyncSnapshotTask(
            Callable<SnapshotResult<T>> callable, Discard<T> discard, Runnable release, AtomicInteger phase) {
        super(callable);
        this.discard = discard;
        this.release = release;
        this.phase = phase;
    }

    /**
     * A task running {@code writer}.
     *
     * @param discard deletes a result that completed after the task was cancelled
     * @param release frees what the synchronous part captured; runs once, when the writer has ended or will never
     *     run
     * @param <T> the handle type
     * @param writer writes the snapshot
     * @return the task, not yet running
     */
    public static <T> AsyncSnapshotTask<T> create(Writer<T> writer, Discard<T> discard, Runnable release) {
        AtomicInteger phase = new AtomicInteger(NOT_STARTED);
        @SuppressWarnings("unchecked")
        AsyncSnapshotTask<T>[] self = new AsyncSnapshotTask[1];
        Callable<SnapshotResult<T>> body = () -> {
            if (!phase.compareAndSet(NOT_STARTED, RUNNING)) {
                throw new CancellationException("The snapshot was cancelled");
            }
            try {
                return writer.write(self[0]);
            } finally {
                phase.set(FINISHED);
                release.run();
            }
        };
        self[0] = new AsyncSnapshotTask<>(body, discard, release, phase);
        return self[0];
    }

    /**
     * Registers this task with its backend's in-flight snapshots, which cancel it on close; it leaves them when it
     * completes, fails or is cancelled.
     *
     * @param snapshots the tracker
     * @return this task
     */
    public AsyncSnapshotTask<T> trackedBy(InFlightSnapshots snapshots) {
        tracker = snapshots;
        snapshots.track(this);
        if (isDone()) {
            snapshots.finished(this);
        }
        return this;
    }

    /**
     * {@return a task that completes with an empty result (nothing to snapshot)}
     *
     * @param <T> the handle type
     */
    public static <T> AsyncSnapshotTask<T> empty() {
        return create(task -> SnapshotResult.empty(), result -> {}, () -> {});
    }

    /**
     * Stops the writer with a {@link CancellationException} once the task was cancelled.
     *
     * @throws CancellationException if cancelled
     */
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("The snapshot was cancelled");
        }
    }

    @Override
    protected void set(SnapshotResult<T> result) {
        super.set(result);
        // If the task was cancelled first, set() did nothing and the result would be lost: delete it.
        if (isCancelled() && result != null && !result.isEmpty()) {
            try {
                discard.discard(result);
            } catch (Exception e) {
                LOG.warn("Discarding the result of a cancelled snapshot failed: {}", result, e);
            }
        }
    }

    @Override
    protected void done() {
        if (phase.compareAndSet(NOT_STARTED, FINISHED)) {
            release.run(); // cancelled before it ran: nobody else will
        }
        InFlightSnapshots snapshots = tracker;
        if (snapshots != null) {
            snapshots.finished(this);
        }
    }
}

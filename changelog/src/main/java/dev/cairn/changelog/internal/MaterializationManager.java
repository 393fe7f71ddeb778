package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.metrics.Counter;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.metrics.Timer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RunnableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materializations of one changelog backend: snapshots of the wrapped backend after which the changelog can be
 * truncated.
 *
 * <p><b>Design.</b> A materialization's synchronous part (the wrapped backend's) runs on the task thread in
 * {@link #materialize()}; its asynchronous part on the injected executor. One runs at a time, and a new one starts
 * only after a completed checkpoint included the previous one ({@link Materialization#confirmed}), so no
 * materialization is ever superseded unreferenced. Periodic materialization is decided by the injected clock
 * ({@link #materializeIfDue()}), so tests advance a clock instead of waiting. More consecutive failures than
 * {@code state.changelog.max-failures-allowed} fail the backend ({@link #checkHealthy()}).
 *
 * <p><b>Threading.</b> Methods are called on the task thread, except that the asynchronous part completes on the
 * executor; shared fields are guarded by this object.
 */
final class MaterializationManager {
    private static final Logger LOG = LoggerFactory.getLogger(MaterializationManager.class);

    private final String operator;
    private final CheckpointableKeyedStateBackend<?> inner;
    private final CheckpointStreamFactory streams;
    private final ChangelogWriter writer;
    private final ChangelogStateBackend.Settings settings;
    private final Clock clock;
    private final Executor executor;

    private long nextDueMillis;
    private long counter;
    private Materialization latest;
    private CompletableFuture<Materialization> running;
    /** The sequence number the running materialization's changes end at. */
    private long runningSequence;

    private int consecutiveFailures;
    private volatile StateBackendException fatal;
    private final Counter started;
    private final Counter completed;
    private final Counter failedCount;
    private final Timer duration;
    private volatile long lastSize = -1;
    private boolean closed;

    /**
     * @param operator the operator's name, for messages
     * @param inner the wrapped backend whose snapshots are materializations
     * @param streams where materializations are written
     * @param writer the changelog, rolled over at each materialization
     * @param settings interval and failures allowed
     * @param clock decides when periodic materialization is due
     * @param executor runs the asynchronous parts
     * @param metrics where the materialization meters are registered (Flink's changelog names)
     */
    MaterializationManager(
            String operator,
            CheckpointableKeyedStateBackend<?> inner,
            CheckpointStreamFactory streams,
            ChangelogWriter writer,
            ChangelogStateBackend.Settings settings,
            Clock clock,
            Executor executor,
            MetricGroup metrics) {
        this.operator = operator;
        this.started = metrics.counter("cairn.changelog.startedMaterialization", "Materializations started");
        this.completed = metrics.counter("cairn.changelog.completedMaterialization", "Materializations completed");
        this.failedCount = metrics.counter("cairn.changelog.failedMaterialization", "Materializations failed");
        this.duration = metrics.timer("cairn.changelog.materializationDuration", "Time a materialization took");
        metrics.gauge(
                "cairn.changelog.lastFullSizeOfMaterialization",
                "Bytes of the last completed materialization (-1: none)",
                "bytes",
                () -> lastSize);
        this.inner = inner;
        this.streams = streams;
        this.writer = writer;
        this.settings = settings;
        this.clock = clock;
        this.executor = executor;
        this.nextDueMillis = clock.millis() + settings.materializationInterval().toMillis();
    }

    /** Throws the failure that made the backend unusable, if any. */
    void checkHealthy() {
        if (fatal != null) {
            throw fatal;
        }
    }

    /** Starts a materialization if periodic materialization is on and its interval has passed. */
    void materializeIfDue() {
        if (settings.periodicMaterialization() && clock.millis() >= nextDueMillis) {
            nextDueMillis = clock.millis() + settings.materializationInterval().toMillis();
            materialize();
        }
    }

    /**
     * Starts a materialization: the wrapped backend's synchronous snapshot part runs here, the rest on the
     * executor. Does nothing while one is running or the previous one is not yet part of a completed checkpoint.
     *
     * @return whether a materialization started
     */
    synchronized boolean materialize() {
        checkHealthy();
        if (running != null || (latest != null && !latest.confirmed)) {
            return false;
        }
        long id = ++counter;
        writer.rollover();
        long sequence = writer.nextSequence();
        RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot;
        try {
            snapshot = inner.snapshot(id, clock.millis(), streams, SnapshotOptions.checkpoint());
        } catch (Exception e) {
            failed(id, e);
            return false;
        }
        CompletableFuture<Materialization> future = new CompletableFuture<>();
        running = future;
        runningSequence = sequence;
        started.increment();
        long startNanos = System.nanoTime();
        future.thenAccept(done -> {
            duration.record(System.nanoTime() - startNanos);
            lastSize = done.size;
            completed.increment();
        });
        executor.execute(() -> finish(id, sequence, snapshot, future));
        return true;
    }

    private void finish(
            long id,
            long sequence,
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot,
            CompletableFuture<Materialization> future) {
        try {
            snapshot.run();
            KeyedStateHandle handle = snapshot.get().getHandle();
            Materialization done = new Materialization(id, sequence, handle == null ? List.of() : List.of(handle));
            synchronized (this) {
                latest = done;
                running = null;
                consecutiveFailures = 0;
            }
            LOG.debug("Materialization {} of '{}' done ({} bytes)", id, operator, done.size);
            future.complete(done);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            synchronized (this) {
                running = null;
            }
            failed(id, cause);
            future.completeExceptionally(cause);
        }
    }

    private synchronized void failed(long id, Throwable cause) {
        if (closed) {
            LOG.debug("Materialization {} of '{}' stopped by close", id, operator, cause);
            return;
        }
        consecutiveFailures++;
        failedCount.increment();
        nextDueMillis = clock.millis(); // retry at the next opportunity
        LOG.warn(
                "Materialization {} of '{}' failed ({} in a row, {} allowed)",
                id,
                operator,
                consecutiveFailures,
                settings.maxFailures(),
                cause);
        if (consecutiveFailures > settings.maxFailures()) {
            fatal = new StateBackendException(
                    "Materializing the changelog backend of '" + operator + "' failed " + consecutiveFailures
                            + " times in a row (" + StateChangelogOptions.MATERIALIZATION_MAX_FAILURES_ALLOWED.key()
                            + " is " + settings.maxFailures() + "): " + cause.getMessage(),
                    cause);
        }
    }

    /**
     * What a checkpoint includes: the latest finished materialization, or — after a restore, before the first one
     * finished — the running one (started here if none runs), which the checkpoint then waits for.
     *
     * @param mustAwaitFirst whether checkpoints must include a materialization of this backend (after a restore)
     * @return the materialization to include
     * @throws IllegalStateException if one is needed and none could be started
     */
    synchronized Included forCheckpoint(boolean mustAwaitFirst) {
        if (latest == null && mustAwaitFirst) {
            if (running == null) {
                materialize();
            }
            if (running == null) {
                throw new IllegalStateException(
                        "could not start the materialization its first checkpoint after a" + " restore needs");
            }
            return new Included(null, running, runningSequence);
        }
        return new Included(latest, null, latest != null ? latest.sequence : 0);
    }

    /**
     * Marks {@code materialization} as included in a completed checkpoint.
     *
     * @return whether it was confirmed only now
     */
    synchronized boolean confirm(Materialization materialization) {
        if (materialization == null || materialization.confirmed) {
            return false;
        }
        materialization.confirmed = true;
        return true;
    }

    /**
     * Adds {@code materialization}'s size to the first checkpoint that includes it, once.
     *
     * @return the bytes the checkpoint newly includes
     */
    synchronized long newlyIncludedBytes(Materialization materialization) {
        if (materialization.includedBefore) {
            return 0;
        }
        materialization.includedBefore = true;
        return materialization.size;
    }

    /** See {@code ChangelogKeyedStateBackend#runningMaterialization()}. */
    synchronized CompletableFuture<Void> running() {
        return running == null ? CompletableFuture.completedFuture(null) : running.handle((done, failure) -> null);
    }

    synchronized long confirmedId() {
        return latest != null && latest.confirmed ? latest.id : 0;
    }

    synchronized long latestId() {
        return latest != null ? latest.id : 0;
    }

    /** Stops reporting failures: a materialization that ends now was stopped by the close. */
    synchronized void close() {
        closed = true;
    }

    /**
     * A checkpoint's materialization: finished ({@code materialization}), or still running ({@code awaited}, whose
     * changes end at {@code fromSequence}).
     */
    record Included(Materialization materialization, CompletableFuture<Materialization> awaited, long fromSequence) {}
}

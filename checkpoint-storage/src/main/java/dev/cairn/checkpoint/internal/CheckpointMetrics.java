package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStats;
import dev.cairn.checkpoint.SharedStateRegistry;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.metrics.Counter;
import dev.cairn.state.metrics.Distribution;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A coordinator's checkpoint and restore metrics, with Flink's names where Flink has one (its job-level checkpoint
 * metrics); the meters move only on checkpoint and restore events, and the gauges read the coordinator when asked.
 * The names and units are listed in {@code docs/metrics.md}.
 */
public final class CheckpointMetrics implements CheckpointProgressListener {
    private final LongSupplier clock;
    private final Counter completed;
    private final Counter failed;
    private final Counter triggered;
    private final Timer duration;
    private final Timer syncDuration;
    private final Timer asyncDuration;
    private final Distribution checkpointedSize;
    private final Distribution fullSize;
    private final Timer restoreDuration;
    private final Distribution restoredSize;
    private volatile CheckpointStats last;
    private volatile long lastCompletionMillis = -1;
    private volatile long lastRestoreTimestamp = -1;
    private volatile long restoringBytes;

    /**
     * Registers the meters.
     *
     * @param group where they are registered
     * @param coordinator read by the gauges (in progress, retained, shared state)
     * @param clock milliseconds since the epoch, for the last checkpoint's age
     */
    public CheckpointMetrics(MetricGroup group, CheckpointCoordinator coordinator, LongSupplier clock) {
        this.clock = clock;
        completed = group.counter("cairn.numberOfCompletedCheckpoints", "Checkpoints and savepoints completed");
        failed = group.counter("cairn.numberOfFailedCheckpoints", "Checkpoints and savepoints failed or aborted");
        triggered = group.counter("cairn.totalNumberOfCheckpoints", "Checkpoints and savepoints triggered");
        duration = group.timer("cairn.checkpointDuration", "Time from a checkpoint's trigger to its completion");
        syncDuration = group.timer(
                "cairn.checkpointSyncDuration", "The synchronous part of a checkpoint: the pause of state access");
        asyncDuration = group.timer(
                "cairn.checkpointAsyncDuration", "The asynchronous part of a checkpoint: writing and uploading");
        checkpointedSize = group.distribution(
                "cairn.checkpointedSize",
                "Bytes a completed checkpoint wrote (an incremental one: its delta)",
                "bytes");
        fullSize = group.distribution(
                "cairn.checkpointFullSize", "Bytes of the whole state a completed checkpoint references", "bytes");
        restoreDuration = group.timer("cairn.restoreDuration", "Time to restore from a checkpoint");
        restoredSize = group.distribution("cairn.restoredSize", "Bytes of the checkpoint files restored", "bytes");
        group.gauge(
                "cairn.numberOfInProgressCheckpoints",
                "Checkpoints running now",
                null,
                coordinator::getPendingCheckpoints);
        group.gauge(
                "cairn.numberOfRetainedCheckpoints",
                "Completed checkpoints retained",
                null,
                () -> coordinator.getRetainedCheckpoints().size());
        group.gauge(
                "cairn.lastCheckpointDuration",
                "Duration of the last completed checkpoint (-1: none)",
                "milliseconds",
                () -> last == null ? -1 : last.durationMillis());
        group.gauge(
                "cairn.lastCheckpointSize",
                "Bytes the last completed checkpoint wrote (-1: none)",
                "bytes",
                () -> last == null ? -1 : last.checkpointedSize());
        group.gauge(
                "cairn.lastCheckpointFullSize",
                "Bytes of the whole state of the last completed checkpoint (-1: none)",
                "bytes",
                () -> last == null ? -1 : last.stateSize());
        group.gauge(
                "cairn.lastCompletedCheckpointId",
                "Id of the last completed checkpoint (-1: none)",
                null,
                () -> last == null ? -1 : last.checkpointId());
        group.gauge(
                "cairn.lastCompletedCheckpointAge",
                "Time since the last checkpoint completed (-1: none yet)",
                "milliseconds",
                () -> lastCompletionMillis < 0 ? -1 : Math.max(0, clock.getAsLong() - lastCompletionMillis));
        group.gauge(
                "cairn.lastCheckpointRestoreTimestamp",
                "When the last restore completed, milliseconds since the epoch (-1: none)",
                "milliseconds",
                () -> lastRestoreTimestamp);
        SharedStateRegistry shared = coordinator.getSharedStateRegistry();
        group.gauge(
                "cairn.sharedStateRegistry.files",
                "Shared files the retained checkpoints reference",
                null,
                shared::referencedFileCount);
        group.gauge(
                "cairn.sharedStateRegistry.size",
                "Bytes of the shared files the retained checkpoints reference",
                "bytes",
                shared::referencedBytes);
    }

    @Override
    public void checkpointStarted(long checkpointId, boolean savepoint, int totalTasks) {
        triggered.increment();
    }

    @Override
    public void checkpointCompleted(CheckpointStats stats) {
        last = stats;
        lastCompletionMillis = clock.getAsLong();
        completed.increment();
        long totalNanos = TimeUnit.MILLISECONDS.toNanos(stats.durationMillis());
        long syncNanos = TimeUnit.MICROSECONDS.toNanos(stats.syncPauseMicros());
        duration.record(totalNanos);
        syncDuration.record(syncNanos);
        asyncDuration.record(Math.max(0, totalNanos - syncNanos));
        checkpointedSize.record(stats.checkpointedSize());
        fullSize.record(stats.stateSize());
    }

    @Override
    public void checkpointFailed(long checkpointId, CheckpointException.Reason reason, String message) {
        failed.increment();
    }

    @Override
    public void restoreStarted(String pointer, long totalBytes, int totalFiles) {
        restoringBytes = totalBytes;
    }

    @Override
    public void restoreCompleted(String pointer, long durationMillis) {
        restoreDuration.record(TimeUnit.MILLISECONDS.toNanos(durationMillis));
        restoredSize.record(restoringBytes);
        lastRestoreTimestamp = clock.getAsLong();
    }
}

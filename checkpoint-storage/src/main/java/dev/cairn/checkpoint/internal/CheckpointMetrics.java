package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStats;
import dev.cairn.state.CheckpointException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Turns checkpoint events into gauges: {@code checkpoint.lastDurationMillis}, {@code checkpoint.lastSizeBytes} (full state),
 * {@code checkpoint.lastCheckpointedSizeBytes} (what the checkpoint added: the delta of an incremental one),
 * {@code checkpoint.lastSyncPauseMicros}, {@code checkpoint.completed}, {@code checkpoint.failed},
 * {@code checkpoint.retained}, {@code restore.lastDurationMillis}.
 */
public final class CheckpointMetrics implements CheckpointProgressListener {
    private final AtomicLong lastDurationMillis = new AtomicLong(-1);
    private final AtomicLong lastSizeBytes = new AtomicLong(-1);
    private final AtomicLong lastCheckpointedSizeBytes = new AtomicLong(-1);
    private final AtomicLong lastSyncPauseMicros = new AtomicLong(-1);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastRestoreDurationMillis = new AtomicLong(-1);

    /**
     * @param reporter where the gauges are registered
     * @param retainedCount the number of retained checkpoints (read from the coordinator)
     */
    public CheckpointMetrics(MetricsReporter reporter, IntSupplier retainedCount) {
        reporter.gauge("checkpoint.lastDurationMillis", lastDurationMillis::get);
        reporter.gauge("checkpoint.lastSizeBytes", lastSizeBytes::get);
        reporter.gauge("checkpoint.lastCheckpointedSizeBytes", lastCheckpointedSizeBytes::get);
        reporter.gauge("checkpoint.lastSyncPauseMicros", lastSyncPauseMicros::get);
        reporter.gauge("checkpoint.completed", completed::get);
        reporter.gauge("checkpoint.failed", failed::get);
        reporter.gauge("checkpoint.retained", retainedCount::getAsInt);
        reporter.gauge("restore.lastDurationMillis", lastRestoreDurationMillis::get);
    }

    @Override
    public void checkpointCompleted(CheckpointStats stats) {
        lastDurationMillis.set(stats.durationMillis());
        lastSizeBytes.set(stats.stateSize());
        lastCheckpointedSizeBytes.set(stats.checkpointedSize());
        lastSyncPauseMicros.set(stats.syncPauseMicros());
        completed.incrementAndGet();
    }

    @Override
    public void checkpointFailed(long checkpointId, CheckpointException.Reason reason, String message) {
        failed.incrementAndGet();
    }

    @Override
    public void restoreCompleted(String pointer, long durationMillis) {
        lastRestoreDurationMillis.set(durationMillis);
    }
}

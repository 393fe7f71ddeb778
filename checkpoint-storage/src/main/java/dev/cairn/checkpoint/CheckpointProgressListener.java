package dev.cairn.checkpoint;

import dev.cairn.state.CheckpointException;

/**
 * Follows checkpoints and restores as they happen, with totals known up front so an application or CLI can draw
 * a progress bar. Called from the triggering thread and from checkpoint threads; implementations must be
 * thread-safe and fast. All methods default to doing nothing.
 */
public interface CheckpointProgressListener {
    /** The synchronous parts are about to run on {@code totalTasks} registered backends. */
    default void checkpointStarted(long checkpointId, boolean savepoint, int totalTasks) {}

    /** A backend finished writing; running totals of this checkpoint. */
    default void checkpointProgress(
            long checkpointId, int tasksCompleted, int totalTasks, long bytesWritten, int filesWritten) {}

    /** The metadata is durable: the checkpoint exists. */
    default void checkpointCompleted(CheckpointStats stats) {}

    /** The checkpoint failed or was aborted; nothing of it remains and earlier checkpoints are unaffected. */
    default void checkpointFailed(long checkpointId, CheckpointException.Reason reason, String message) {}

    /** A restore begins: what it will read. */
    default void restoreStarted(String pointer, long totalBytes, int totalFiles) {}

    /** Running totals of the restore's verified reads. */
    default void restoreProgress(long bytesRead, long totalBytes, int filesRead, int totalFiles) {}

    /** A restore replays logged changes (changelog backends); {@code records} so far. */
    default void restoreReplaying(long records) {}

    /** The restore finished. */
    default void restoreCompleted(String pointer, long durationMillis) {}
}

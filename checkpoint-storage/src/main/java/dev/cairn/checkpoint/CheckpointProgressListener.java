package dev.cairn.checkpoint;

import dev.cairn.state.CheckpointException;

/**
 * Follows checkpoints and restores as they happen, with totals known up front so an application or CLI can draw
 * a progress bar. Called from the triggering thread and from checkpoint threads; implementations must be
 * thread-safe and fast. All methods default to doing nothing.
 */
public interface CheckpointProgressListener {
    /**
     * The synchronous parts are about to run on {@code totalTasks} registered backends.
     *
     * @param checkpointId the checkpoint's id
     * @param savepoint whether it is a savepoint
     * @param totalTasks the number of backends that snapshot
     */
    default void checkpointStarted(long checkpointId, boolean savepoint, int totalTasks) {}

    /**
     * A backend finished writing; running totals of this checkpoint.
     *
     * @param checkpointId the checkpoint's id
     * @param tasksCompleted backends whose snapshot is written
     * @param totalTasks the number of backends that snapshot
     * @param bytesWritten bytes written so far
     * @param filesWritten files written so far
     */
    default void checkpointProgress(
            long checkpointId, int tasksCompleted, int totalTasks, long bytesWritten, int filesWritten) {}

    /**
     * The metadata is durable: the checkpoint exists.
     *
     * @param stats the completed checkpoint's figures
     */
    default void checkpointCompleted(CheckpointStats stats) {}

    /**
     * The checkpoint failed or was aborted; nothing of it remains and earlier checkpoints are unaffected.
     *
     * @param checkpointId the checkpoint's id
     * @param reason why it failed
     * @param message what failed
     */
    default void checkpointFailed(long checkpointId, CheckpointException.Reason reason, String message) {}

    /**
     * A restore begins: what it will read.
     *
     * @param pointer the checkpoint being restored
     * @param totalBytes the bytes of its files
     * @param totalFiles the number of its files
     */
    default void restoreStarted(String pointer, long totalBytes, int totalFiles) {}

    /**
     * Running totals of the restore's checks that its files are present with their recorded lengths (their
     * contents are checked as the backends read them).
     *
     * @param bytesRead the bytes of the files checked so far
     * @param totalBytes the bytes of all files
     * @param filesRead files checked so far
     * @param totalFiles the number of files
     */
    default void restoreProgress(long bytesRead, long totalBytes, int filesRead, int totalFiles) {}

    /**
     * A restore replays logged changes (changelog backends); {@code records} so far.
     *
     * @param records change records replayed so far
     */
    default void restoreReplaying(long records) {}

    /**
     * The restore finished.
     *
     * @param pointer the restored checkpoint
     * @param durationMillis how long the restore took
     */
    default void restoreCompleted(String pointer, long durationMillis) {}
}

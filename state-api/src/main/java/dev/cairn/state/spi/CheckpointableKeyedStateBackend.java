package dev.cairn.state.spi;

import java.util.concurrent.RunnableFuture;

/**
 * A keyed backend that can snapshot itself.
 *
 * @param <K> the key type
 */
public interface CheckpointableKeyedStateBackend<K> extends KeyedStateBackend<K> {

    /**
     * Takes a snapshot. The synchronous part runs inside this call on the task thread and is short (it does not
     * grow with the number of entries); the returned future performs the asynchronous part (writing the bytes)
     * when run, typically on a snapshot executor, while the task keeps processing. The snapshot contains exactly
     * the state at the time of this call.
     *
     * <p><b>Caveats:</b> the caller must either run or cancel the future: until then the backend keeps the
     * snapshot's view alive (the heap backend copies entries on write while a snapshot is pending).
     *
     * @param checkpointId the checkpoint's (or savepoint's) id
     * @param timestamp its time, in epoch milliseconds
     * @param streamFactory where the bytes go
     * @param options checkpoint (the backend's format of choice) or savepoint (canonical)
     * @return the asynchronous part; its result holds the handle, or none when there is no state
     * @throws Exception if the synchronous part fails
     */
    RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options)
            throws Exception;

    /**
     * The checkpoint with this id completed; backends may release resources kept for it.
     *
     * <p><b>Caveats:</b> may be called from a checkpointing thread, not the task thread: implementations must be
     * thread-safe with respect to state access.
     *
     * @param checkpointId the completed checkpoint
     */
    default void notifyCheckpointComplete(long checkpointId) {}

    /**
     * The checkpoint with this id was aborted; same threading caveat as {@link #notifyCheckpointComplete}.
     *
     * @param checkpointId the aborted checkpoint
     */
    default void notifyCheckpointAborted(long checkpointId) {}

    /**
     * Convenience for tests and tools: runs a snapshot's both parts on the calling thread.
     *
     * @param checkpointId the snapshot's id
     * @param streamFactory where the bytes go
     * @param options checkpoint or savepoint
     * @return the result
     * @throws Exception if either part fails
     */
    default SnapshotResult<KeyedStateHandle> snapshotNow(
            long checkpointId, CheckpointStreamFactory streamFactory, SnapshotOptions options) throws Exception {
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                snapshot(checkpointId, System.currentTimeMillis(), streamFactory, options);
        future.run();
        return future.get();
    }
}

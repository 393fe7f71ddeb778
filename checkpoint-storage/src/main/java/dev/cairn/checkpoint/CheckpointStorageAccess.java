package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.util.List;

/** One job's view of a {@link CheckpointStorage}. */
public interface CheckpointStorageAccess {
    /** Prepares the location checkpoint {@code checkpointId} writes to. */
    CheckpointStorageLocation initializeCheckpoint(long checkpointId, StreamWriteListener listener) throws IOException;

    /**
     * Prepares a savepoint location under {@code targetDirectory}, or under the configured savepoint directory
     * when it is {@code null}.
     *
     * @throws dev.cairn.state.IllegalConfigurationException when neither names a directory
     */
    CheckpointStorageLocation initializeSavepoint(
            long checkpointId, String targetDirectory, StreamWriteListener listener) throws IOException;

    /**
     * The job's completed checkpoints, oldest first: found by scanning the storage, so it works after a restart.
     * Directories without {@code _metadata} are not checkpoints and are skipped.
     *
     * @throws dev.cairn.state.CorruptCheckpointException when a checkpoint's {@code _metadata} fails verification
     */
    List<CompletedCheckpoint> findCompletedCheckpoints() throws IOException;

    /**
     * The job's checkpoints, readable and unreadable: as {@link #findCompletedCheckpoints()}, but a checkpoint
     * whose {@code _metadata} fails verification is reported instead of failing the scan.
     */
    default CheckpointScan scanCheckpoints() throws IOException {
        return new CheckpointScan(findCompletedCheckpoints(), List.of());
    }

    /** The highest checkpoint id this job's storage has seen, complete or not (0 if none). */
    long highestCheckpointId() throws IOException;

    /**
     * Removes leftovers of checkpoints that never completed (directories without {@code _metadata}), except
     * the ones in progress.
     */
    void cleanupIncompleteCheckpoints(java.util.Set<Long> inProgress) throws IOException;

    /**
     * Takes the ownership lease of the job's directory, so that no other process checkpoints into it or deletes
     * from it while this one runs. Storages only this process can see (in memory) return {@link
     * OwnershipLease#unowned()}.
     *
     * @param timeout how long a lease that is not renewed stays valid
     * @param clock the clock of heartbeats and of the staleness check
     * @throws CheckpointOwnershipException naming the directory and the current owner when another live process
     *     holds it
     */
    default OwnershipLease acquireOwnership(java.time.Duration timeout, java.time.Clock clock) throws IOException {
        return OwnershipLease.unowned();
    }

    /**
     * Deletes files in the job's shared directory that none of {@code referenced} is: uploads of incremental
     * checkpoints that crashed before completing. Call only while no checkpoint of the job is in progress.
     * Storages without a shared directory do nothing.
     */
    default void cleanupOrphanedSharedState(java.util.Set<StoragePath> referenced) throws IOException {}
}

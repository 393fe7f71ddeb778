package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.util.List;

/** One job's view of a {@link CheckpointStorage}. */
public interface CheckpointStorageAccess {
    /**
     * Prepares the location checkpoint {@code checkpointId} writes to.
     *
     * @param checkpointId the checkpoint's id
     * @param listener told about every stream written
     * @return the location
     * @throws IOException when the location cannot be created
     */
    CheckpointStorageLocation initializeCheckpoint(long checkpointId, StreamWriteListener listener) throws IOException;

    /**
     * Prepares a savepoint location under {@code targetDirectory}, or under the configured savepoint directory
     * when it is {@code null}.
     *
     * @throws dev.cairn.state.IllegalConfigurationException when neither names a directory
     * @param checkpointId the savepoint's id
     * @param targetDirectory the directory, or {@code null} for the configured one
     * @param listener told about every stream written
     * @return the location
     * @throws IOException when the location cannot be created
     */
    CheckpointStorageLocation initializeSavepoint(
            long checkpointId, String targetDirectory, StreamWriteListener listener) throws IOException;

    /**
     * The job's completed checkpoints, oldest first: found by scanning the storage, so it works after a restart.
     * Directories without {@code _metadata} are not checkpoints and are skipped.
     *
     * @throws dev.cairn.state.CorruptCheckpointException when a checkpoint's {@code _metadata} fails verification
     * @return the completed checkpoints
     * @throws IOException when the storage cannot be listed or read
     */
    List<CompletedCheckpoint> findCompletedCheckpoints() throws IOException;

    /**
     * The job's checkpoints, readable and unreadable: as {@link #findCompletedCheckpoints()}, but a checkpoint
     * whose {@code _metadata} fails verification is reported instead of failing the scan.
     *
     * @return the readable and unreadable checkpoints
     * @throws IOException when the storage cannot be listed
     */
    default CheckpointScan scanCheckpoints() throws IOException {
        return new CheckpointScan(findCompletedCheckpoints(), List.of());
    }

    /**
     * {@return the highest checkpoint id this job's storage has seen, complete or not (0 if none)}
     *
     * @throws IOException when the storage cannot be listed
     */
    long highestCheckpointId() throws IOException;

    /**
     * Removes leftovers of checkpoints that never completed (directories without {@code _metadata}), except
     * the ones in progress.
     *
     * @param inProgress ids of the checkpoints still running
     * @throws IOException when listing or deleting fails
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
     * @return the lease, held until closed
     * @throws IOException when the lease file cannot be read or written
     */
    default OwnershipLease acquireOwnership(java.time.Duration timeout, java.time.Clock clock) throws IOException {
        return OwnershipLease.unowned();
    }

    /**
     * Deletes files in the job's shared directory that none of {@code referenced} is: uploads of incremental
     * checkpoints that crashed before completing. Call only while no checkpoint of the job is in progress.
     * Storages without a shared directory do nothing.
     *
     * @param referenced the shared files retained checkpoints reference
     * @throws IOException when listing or deleting fails
     */
    default void cleanupOrphanedSharedState(java.util.Set<StoragePath> referenced) throws IOException {}
}

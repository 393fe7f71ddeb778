package dev.cairn.checkpoint;

import dev.cairn.state.spi.CheckpointStreamFactory;
import java.io.IOException;

/** Where one checkpoint or savepoint is being written. */
public interface CheckpointStorageLocation {
    /** {@return the stream factory backends write their snapshots through} */
    CheckpointStreamFactory getStreamFactory();

    /**
     * Completes the checkpoint: durably writes its metadata (write to a temporary file, fsync, atomic rename).
     * Until this returns, the checkpoint does not exist.
     *
     * @param metadata what the checkpoint holds
     * @return the completed checkpoint
     * @throws IOException when the metadata cannot be written; the checkpoint does not exist then
     */
    CompletedCheckpoint complete(CheckpointMetadata metadata) throws IOException;

    /** Deletes everything written for this checkpoint; best effort, never throws. */
    void abort();

    /** {@return a human-readable pointer: the directory path, or an in-memory name} */
    String pointer();
}

package dev.cairn.checkpoint;

import java.io.IOException;

/**
 * Where checkpoints and savepoints are stored. Backends never see this: they write through the
 * {@link dev.cairn.state.spi.CheckpointStreamFactory} of a {@link CheckpointStorageLocation}.
 */
public interface CheckpointStorage {
    /** Storage access for one job (one application instance's checkpoint history). */
    CheckpointStorageAccess createAccess(String jobId) throws IOException;

    /**
     * Loads a completed checkpoint or savepoint from a pointer: its directory, or its {@code _metadata} file.
     *
     * @throws dev.cairn.state.CorruptCheckpointException if the metadata is missing, malformed or escapes its
     *     directory
     */
    CompletedCheckpoint resolve(String pointer) throws IOException;
}

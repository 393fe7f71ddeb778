package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;

/**
 * Where checkpoints and savepoints are stored. Backends never see this: they write through the
 * {@link dev.cairn.state.spi.CheckpointStreamFactory} of a {@link CheckpointStorageLocation}.
 */
public interface CheckpointStorage extends AutoCloseable {
    /**
     * Storage access for one job (one application instance's checkpoint history).
     *
     * @param jobId the job's identifier; its checkpoints go into a directory of that name
     * @return the job's access
     * @throws IOException when the storage cannot be prepared
     */
    CheckpointStorageAccess createAccess(String jobId) throws IOException;

    /**
     * Loads a completed checkpoint or savepoint from a pointer: its directory, or its {@code _metadata} file.
     *
     * @throws dev.cairn.state.CorruptCheckpointException if the metadata is missing, malformed or escapes its
     *     directory
     * @param pointer the checkpoint's directory or {@code _metadata} file
     * @return the checkpoint
     * @throws IOException when the metadata cannot be read
     */
    CompletedCheckpoint resolve(String pointer) throws IOException;

    /**
     * Accepts changelog files under {@code directory} in the metadata this storage reads (the changelog backend's
     * {@code state.changelog.dstl.dfs.base-path}). Metadata naming a changelog file anywhere else is rejected as
     * corrupt before anything is read or deleted. Storages that read no metadata files ignore it.
     *
     * @param directory the changelog's base directory
     */
    default void acceptChangelogDirectory(StoragePath directory) {}

    /**
     * Releases what the storage owns (its file systems' clients); its owner — a {@code StateEnvironment} — calls it
     * when it closes. Handles read from the storage must not be used afterwards. The default holds nothing.
     */
    @Override
    default void close() {}
}

package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointStorageLocation;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.IllegalConfigurationException;
import java.io.IOException;
import java.util.UUID;

/**
 * Creates savepoint directories {@code <target>/savepoint-<job>-<id>-<random>}. A savepoint is self-contained:
 * every file lives inside its directory and is referenced by a relative path, so the directory can be moved.
 */
public final class SavepointLocations {
    private SavepointLocations() {}

    public static CheckpointStorageLocation create(
            FileSystemRegistry fileSystems,
            String jobId,
            long checkpointId,
            String targetDirectory,
            String defaultDirectory,
            int writeBufferSize,
            int inlineThreshold,
            StreamWriteListener listener)
            throws IOException {
        String target = targetDirectory != null ? targetDirectory : defaultDirectory;
        if (target == null) {
            throw new IllegalConfigurationException("No savepoint directory: pass a target directory or set '"
                    + CheckpointingOptions.SAVEPOINT_DIRECTORY.key() + "'");
        }
        String prefix = jobId.length() > 8 ? jobId.substring(0, 8) : jobId;
        StoragePath directory = StoragePath.of(target)
                .resolve("savepoint-" + prefix + "-" + checkpointId + "-"
                        + UUID.randomUUID().toString().substring(0, 8));
        FileSystem fileSystem = fileSystems.get(directory);
        fileSystem.mkdirs(directory);
        return new FsCheckpointLocation(fileSystem, directory, directory, writeBufferSize, inlineThreshold, listener);
    }
}

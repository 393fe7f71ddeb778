package dev.cairn.processor;

import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.Configuration;
import dev.cairn.state.ReadableConfig;
import java.io.IOException;
import java.util.Objects;

/** Opens checkpoints and savepoints for offline use. */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Lets {@code storage} read checkpoints that name changelog files under the configured changelog base path
     * ({@code state.changelog.dstl.dfs.base-path}); metadata naming changelog files elsewhere stays corrupt.
     *
     * @return the base path, if configured
     */
    static java.util.Optional<StoragePath> acceptConfiguredChangelog(
            FileSystemCheckpointStorage storage, ReadableConfig config) {
        java.util.Optional<StoragePath> base =
                config.getOptional(StateChangelogOptions.BASE_PATH).map(StoragePath::of);
        base.ifPresent(storage::acceptChangelogDirectory);
        return base;
    }

    /**
     * Opens a completed checkpoint or savepoint on the local disk (or a store whose file system needs no
     * settings).
     *
     * @param pointer the checkpoint's directory or its {@code _metadata} file, as a path or URI
     * @return the view; close it to release file system clients and temporary files
     * @throws IOException when the metadata cannot be read
     * @throws dev.cairn.state.CorruptCheckpointException when the pointer names no checkpoint or its metadata is
     *     damaged
     */
    public static CheckpointView open(String pointer) throws IOException {
        return open(pointer, new Configuration(), Thread.currentThread().getContextClassLoader());
    }

    /**
     * Opens a completed checkpoint or savepoint with settings and a class loader for the application's
     * serializers. The settings configure file systems (e.g. {@code s3.endpoint}, {@code s3.access-key} for
     * {@code s3://} pointers) and say where changelog files may be ({@code state.changelog.dstl.dfs.base-path}:
     * metadata naming changelog files elsewhere is rejected as corrupt).
     *
     * @param pointer the checkpoint's directory or its {@code _metadata} file, as a path or URI
     * @param config settings of the file systems
     * @param classLoader loads the serializers the checkpoint names (the application's classes, if any)
     * @return the view; close it to release file system clients and temporary files
     * @throws IOException when the metadata cannot be read
     * @throws dev.cairn.state.CorruptCheckpointException when the pointer names no checkpoint or its metadata is
     *     damaged
     */
    public static CheckpointView open(String pointer, ReadableConfig config, ClassLoader classLoader)
            throws IOException {
        Objects.requireNonNull(pointer, "pointer");
        FileSystemRegistry fileSystems = new FileSystemRegistry(config);
        // The storage only resolves the pointer; its directory is never written.
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(fileSystems, pointer);
        acceptConfiguredChangelog(storage, config);
        try {
            CompletedCheckpoint checkpoint = storage.resolve(pointer);
            return new CheckpointView(checkpoint, storage, config, classLoader);
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }
}

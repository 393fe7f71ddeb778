package dev.cairn.checkpoint;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ReadableConfig;
import java.util.List;

/**
 * Provides a {@link FileSystem} for a URI scheme; registered in
 * {@code META-INF/services/dev.cairn.checkpoint.FileSystemFactory}.
 */
public interface FileSystemFactory {
    /** The URI scheme served, such as {@code s3}. */
    String scheme();

    /** The file system for paths like {@code path} (may be shared between calls). */
    FileSystem create(StoragePath path);

    /**
     * The file system for paths like {@code path}, configured by {@code configuration} (the one given to
     * {@link FileSystem#initialize}); the default ignores the configuration.
     */
    default FileSystem create(StoragePath path, ReadableConfig configuration) {
        return create(path);
    }

    /** The configuration options this file system reads, for documentation and unknown-key warnings. */
    default List<ConfigOption<?>> options() {
        return List.of();
    }
}

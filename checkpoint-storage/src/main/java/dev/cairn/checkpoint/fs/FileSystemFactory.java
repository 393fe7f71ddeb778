package dev.cairn.checkpoint.fs;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ReadableConfig;
import java.util.List;

/**
 * Provides a {@link FileSystem} for a URI scheme; registered in
 * {@code META-INF/services/dev.cairn.checkpoint.fs.FileSystemFactory}.
 */
public interface FileSystemFactory {
    /**
     * The URI scheme served.
     *
     * @return the scheme, such as {@code s3}
     */
    String scheme();

    /**
     * Creates a file system for paths like {@code path}, configured by {@code configuration} (endpoints,
     * credentials, ...). The caller — a {@link FileSystemRegistry} — owns it and closes it; file systems created for
     * different registries share nothing.
     *
     * @param path a path of this factory's scheme
     * @param configuration the owner's configuration
     * @return a new file system
     * @throws dev.cairn.state.IllegalConfigurationException naming an invalid option
     */
    FileSystem create(StoragePath path, ReadableConfig configuration);

    /**
     * The configuration options this file system reads, for documentation and unknown-key warnings.
     *
     * @return the options
     */
    default List<ConfigOption<?>> options() {
        return List.of();
    }
}

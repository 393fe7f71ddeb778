package dev.cairn.checkpoint.s3;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemFactory;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.s3.internal.S3FileSystem;
import dev.cairn.state.ConfigOption;
import dev.cairn.state.ReadableConfig;
import java.util.List;

/**
 * Serves {@code s3://bucket/prefix} paths (registered through {@link java.util.ServiceLoader}): with this module on
 * the classpath, {@code execution.checkpointing.dir: s3://…} and {@code state.changelog.dstl.dfs.base-path: s3://…}
 * work. Configured by {@link S3Options}; each registry's file system has its own SDK client,
 * closed with the registry's owner.
 */
public final class S3FileSystemFactory implements FileSystemFactory {
    @Override
    public String scheme() {
        return "s3";
    }

    /**
     * @throws dev.cairn.state.IllegalConfigurationException naming an invalid S3 option
     */
    @Override
    public FileSystem create(StoragePath path, ReadableConfig configuration) {
        return S3FileSystem.create(configuration);
    }

    @Override
    public List<ConfigOption<?>> options() {
        return S3Options.all();
    }
}

package dev.cairn.checkpoint;

/**
 * Provides a {@link FileSystem} for a URI scheme; registered in
 * {@code META-INF/services/dev.cairn.checkpoint.FileSystemFactory}.
 */
public interface FileSystemFactory {
    /** The URI scheme served, such as {@code s3}. */
    String scheme();

    /** The file system for paths like {@code path} (may be shared between calls). */
    FileSystem create(StoragePath path);
}

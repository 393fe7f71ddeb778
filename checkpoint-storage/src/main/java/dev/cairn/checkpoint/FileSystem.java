package dev.cairn.checkpoint;

import dev.cairn.checkpoint.internal.FileSystemConfiguration;
import dev.cairn.checkpoint.internal.LocalFileSystem;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.StateInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The few file operations checkpoint storage needs, so that a distributed store can be plugged in without
 * touching backends. {@code file:} paths use the built-in local implementation; other schemes are found through
 * {@link FileSystemFactory} services.
 *
 * <p><b>Caveats:</b> {@link #rename} must be atomic where {@link #supportsAtomicRename()} says so; storages that
 * cannot rename (object stores) complete checkpoints by writing the metadata file last instead.
 */
public interface FileSystem {

    /** Opens a file for reading with seeking. */
    StateInputStream open(StoragePath path) throws IOException;

    /** Creates a new file (failing if it exists), creating parent directories as needed. */
    DurableOutputStream create(StoragePath path) throws IOException;

    /** Atomically renames {@code source} to {@code target}; fails if {@code target} exists. */
    void rename(StoragePath source, StoragePath target) throws IOException;

    /** The entries directly inside {@code directory}; empty if it does not exist. */
    List<FileStatus> list(StoragePath directory) throws IOException;

    boolean exists(StoragePath path) throws IOException;

    /** The size of a file in bytes. */
    long size(StoragePath path) throws IOException;

    /** Deletes a file, or a directory with everything inside when {@code recursive}; no error if absent. */
    void delete(StoragePath path, boolean recursive) throws IOException;

    /** Creates a directory and its parents. */
    void mkdirs(StoragePath directory) throws IOException;

    /**
     * Deletes files (not directories); no error for absent ones. Object stores override this with batch requests;
     * the default deletes one by one.
     */
    default void deleteAll(Collection<StoragePath> files) throws IOException {
        for (StoragePath file : files) {
            delete(file, false);
        }
    }

    /**
     * Writes {@code content} to {@code path}, replacing the file if it exists, so that a reader sees either the
     * old or the new content, never a mix (for small files that are rewritten, such as a lease's heartbeat). The
     * default deletes and creates, which is not atomic; the local file system moves a temporary file over the
     * target and S3 overwrites the object.
     */
    default void writeReplacing(StoragePath path, byte[] content) throws IOException {
        delete(path, false);
        try (DurableOutputStream out = create(path)) {
            out.write(content);
            out.sync();
        }
    }

    /** Whether {@link #rename} is atomic. */
    default boolean supportsAtomicRename() {
        return true;
    }

    /** An output stream that can force its bytes to durable storage before it is closed. */
    abstract class DurableOutputStream extends OutputStream {
        /** Flushes and forces everything written so far to durable storage (fsync). */
        public abstract void sync() throws IOException;

        /**
         * Gives the file up: releases the stream without making its content durable where the store allows it
         * (an object store uploads nothing more and aborts a multipart upload). The caller still deletes the path,
         * as a local file exists from {@link #create} on. The default closes.
         */
        public void discard() throws IOException {
            close();
        }
    }

    /**
     * One directory entry.
     *
     * @param modificationTime when the file was last written, in epoch milliseconds of the store's clock; {@code
     *     -1} when the store does not say (directories of object stores)
     */
    record FileStatus(StoragePath path, boolean isDirectory, long size, long modificationTime) {
        public FileStatus(StoragePath path, boolean isDirectory, long size) {
            this(path, isDirectory, size, -1);
        }
    }

    /**
     * Sets the configuration that file systems of other schemes are created with (endpoints, credentials, ...):
     * process-wide, as file paths in checkpoint metadata carry no configuration. {@code StateEnvironment} calls
     * this with its configuration; applications wiring storage by hand call it once before using such paths.
     */
    static void initialize(ReadableConfig configuration) {
        FileSystemConfiguration.set(configuration);
    }

    /**
     * The file system for {@code path}'s scheme, created with the configuration given to {@link #initialize}.
     *
     * @throws IllegalArgumentException naming the scheme and the module that would provide it
     */
    static FileSystem get(StoragePath path) {
        String scheme = path.scheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return LocalFileSystem.INSTANCE;
        }
        FileSystemFactory factory = FileSystemConfiguration.factory(scheme);
        if (factory != null) {
            return factory.create(path, FileSystemConfiguration.get());
        }
        throw new IllegalArgumentException("No file system for scheme '" + scheme + "' in " + path
                + (scheme.equals("s3") ? ": add the cairn-checkpoint-storage-s3 module to the classpath" : "")
                + "; supported here: file");
    }
}

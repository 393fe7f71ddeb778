package dev.cairn.checkpoint.fs;

import dev.cairn.state.spi.StateInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;

/**
 * The few file operations checkpoint storage needs, so that a distributed store can be plugged in without
 * touching backends. A {@link FileSystemRegistry} hands them out: {@code file:} paths get the built-in
 * {@link LocalFileSystem}, other schemes one created by their {@link FileSystemFactory} service, owned and closed by
 * the registry.
 *
 * <p><b>Caveats:</b> {@link #rename} must be atomic where {@link #supportsAtomicRename()} says so; storages that
 * cannot rename (object stores) complete checkpoints by writing the metadata file last instead.
 */
public interface FileSystem extends Closeable {

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

    /**
     * Releases what the file system holds (an object store's client and its connections). Called by the
     * {@link FileSystemRegistry} that created it; the default holds nothing.
     */
    @Override
    default void close() throws IOException {}

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
}

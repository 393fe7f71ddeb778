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

    /**
     * Opens a file for reading with seeking.
     *
     * @param path the file
     * @return a stream at its first byte
     * @throws IOException if it cannot be opened ({@link java.nio.file.NoSuchFileException} when missing)
     */
    StateInputStream open(StoragePath path) throws IOException;

    /**
     * Creates a new file (failing if it exists), creating parent directories as needed.
     *
     * @param path the file
     * @return a stream to write it
     * @throws IOException if it exists ({@link java.nio.file.FileAlreadyExistsException}) or cannot be created
     */
    DurableOutputStream create(StoragePath path) throws IOException;

    /**
     * Atomically renames {@code source} to {@code target}; fails if {@code target} exists.
     *
     * @param source the file to rename
     * @param target its new path
     * @throws IOException if the rename failed
     */
    void rename(StoragePath source, StoragePath target) throws IOException;

    /**
     * The entries directly inside {@code directory}.
     *
     * @param directory the directory
     * @return the entries; empty if it does not exist
     * @throws IOException if listing failed
     */
    List<FileStatus> list(StoragePath directory) throws IOException;

    /**
     * Whether a file or directory exists.
     *
     * @param path the path
     * @return whether it exists
     * @throws IOException if the store could not be asked
     */
    boolean exists(StoragePath path) throws IOException;

    /**
     * The size of a file.
     *
     * @param path the file
     * @return its size in bytes
     * @throws IOException if it is missing or the store could not be asked
     */
    long size(StoragePath path) throws IOException;

    /**
     * Deletes a file, or a directory with everything inside when {@code recursive}; no error if absent.
     *
     * @param path the file or directory
     * @param recursive whether to delete a directory's contents too
     * @throws IOException if deleting failed
     */
    void delete(StoragePath path, boolean recursive) throws IOException;

    /**
     * Creates a directory and its parents.
     *
     * @param directory the directory
     * @throws IOException if it cannot be created
     */
    void mkdirs(StoragePath directory) throws IOException;

    /**
     * Deletes files (not directories); no error for absent ones. Object stores override this with batch requests;
     * the default deletes one by one.
     *
     * @param files the files
     * @throws IOException if deleting failed
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
     *
     * @param path the file
     * @param content its new content
     * @throws IOException if writing failed
     */
    default void writeReplacing(StoragePath path, byte[] content) throws IOException {
        delete(path, false);
        try (DurableOutputStream out = create(path)) {
            out.write(content);
            out.sync();
        }
    }

    /**
     * Whether {@link #rename} is atomic.
     *
     * @return {@code false} for object stores, which complete checkpoints by writing the metadata file last
     */
    default boolean supportsAtomicRename() {
        return true;
    }

    /**
     * Releases what the file system holds (an object store's client and its connections). Called by the
     * {@link FileSystemRegistry} that created it; the default holds nothing.
     *
     * @throws IOException if releasing failed
     */
    @Override
    default void close() throws IOException {}

    /** An output stream that can force its bytes to durable storage before it is closed. */
    abstract class DurableOutputStream extends OutputStream {
        /** Creates the stream; see {@link FileSystem#create}. */
        protected DurableOutputStream() {}

        /**
         * Flushes and forces everything written so far to durable storage (fsync).
         *
         * @throws IOException if the bytes could not be made durable
         */
        public abstract void sync() throws IOException;

        /**
         * Gives the file up: releases the stream without making its content durable where the store allows it
         * (an object store uploads nothing more and aborts a multipart upload). The caller still deletes the path,
         * as a local file exists from {@link #create} on. The default closes.
         *
         * @throws IOException if releasing failed
         */
        public void discard() throws IOException {
            close();
        }
    }

    /**
     * One directory entry.
     *
     * @param path the entry's path
     * @param isDirectory whether it is a directory
     * @param size its size in bytes (0 for directories)
     * @param modificationTime when the file was last written, in epoch milliseconds of the store's clock; {@code
     *     -1} when the store does not say (directories of object stores)
     */
    record FileStatus(StoragePath path, boolean isDirectory, long size, long modificationTime) {
        /**
         * An entry whose modification time the store does not say.
         *
         * @param path the entry's path
         * @param isDirectory whether it is a directory
         * @param size its size in bytes
         */
        public FileStatus(StoragePath path, boolean isDirectory, long size) {
            this(path, isDirectory, size, -1);
        }
    }
}

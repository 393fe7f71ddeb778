package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Snapshot bytes in a file, with the length and CRC32C recorded when it was written. A restore checks that the file
 * is there with that length ({@link #checkPresent()}) and its readers check the contents as they read them (the
 * CRC32C of a file copied whole, the block checksums of Cairn's formats); {@link #verify()} reads the whole file
 * to check both, for tools.
 *
 * <p>The handle keeps the {@link FileSystem} it was written with or restored through — the one of its storage's
 * {@link dev.cairn.checkpoint.fs.FileSystemRegistry} — so reading and deleting it use that storage's settings
 * (endpoint, credentials), whatever other storages in the process use. It is not part of equality.
 */
public final class FileStateHandle implements StreamStateHandle {
    private final FileSystem fileSystem;
    private final StoragePath path;
    private final StateScope scope;
    private final long size;
    private final int crc32c;

    /**
     * A handle of a file.
     *
     * @param fileSystem the file system the file is read and deleted through
     * @param path where the file is
     * @param scope whether the file belongs to one checkpoint or is shared
     * @param size the number of bytes written
     * @param crc32c the CRC32C of the bytes written
     */
    public FileStateHandle(FileSystem fileSystem, StoragePath path, StateScope scope, long size, int crc32c) {
        this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
        this.path = Objects.requireNonNull(path);
        this.scope = Objects.requireNonNull(scope);
        this.size = size;
        this.crc32c = crc32c;
    }

    /**
     * Where the file is.
     *
     * @return the path
     */
    public StoragePath getPath() {
        return path;
    }

    /**
     * Exclusive files belong to one checkpoint; shared files are reference-counted across checkpoints.
     *
     * @return the file's scope
     */
    public StateScope getScope() {
        return scope;
    }

    /**
     * The CRC32C recorded when the file was written.
     *
     * @return the checksum
     */
    public int getCrc32c() {
        return crc32c;
    }

    @Override
    public java.util.OptionalInt recordedCrc32c() {
        return java.util.OptionalInt.of(crc32c);
    }

    @Override
    public StateInputStream openInputStream() throws IOException {
        return fileSystem.open(path);
    }

    @Override
    public long getStateSize() {
        return size;
    }

    @Override
    public String describe() {
        return "file " + path;
    }

    @Override
    public void discardState() throws IOException {
        fileSystem.delete(path, false);
    }

    /**
     * Deletes many files with as few requests as their file systems allow (object stores delete in batches);
     * no error for files already gone.
     *
     * @param files the files to delete
     * @throws IOException when a delete fails
     */
    public static void discardAll(Collection<FileStateHandle> files) throws IOException {
        Map<FileSystem, Map<String, List<StoragePath>>> byStore = new LinkedHashMap<>();
        for (FileStateHandle file : files) {
            URI uri = file.getPath().toUri();
            byStore.computeIfAbsent(file.fileSystem, fileSystem -> new LinkedHashMap<>())
                    .computeIfAbsent(uri.getScheme() + "://" + uri.getAuthority(), store -> new ArrayList<>())
                    .add(file.getPath());
        }
        for (Map.Entry<FileSystem, Map<String, List<StoragePath>>> store : byStore.entrySet()) {
            for (List<StoragePath> paths : store.getValue().values()) {
                store.getKey().deleteAll(paths);
            }
        }
    }

    /**
     * Checks that the file exists with its recorded length — one metadata request, no read of its bytes (a
     * restore's readers check the contents as they read them, see {@link #recordedCrc32c()}).
     *
     * @throws CorruptCheckpointException naming the file when it is missing or has another length
     * @throws IOException when the store cannot be asked
     */
    public void checkPresent() throws IOException {
        long actualSize;
        try {
            actualSize = fileSystem.size(path);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new CorruptCheckpointException("Checkpoint file " + path + " is missing");
        }
        if (actualSize != size) {
            throw new CorruptCheckpointException("Checkpoint file " + path + " has " + actualSize
                    + " bytes, the metadata records " + size + (actualSize < size ? " (truncated)" : ""));
        }
    }

    /**
     * Reads the whole file and checks its length and CRC32C against the recorded values.
     *
     * @throws CorruptCheckpointException naming the file and the expected and actual values
     * @throws IOException when the file cannot be read
     */
    public void verify() throws IOException {
        checkPresent();
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 20]; // large reads: verification runs at the store's sequential speed
        try (InputStream in = fileSystem.open(path)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
            }
        }
        int actual = (int) crc.getValue();
        if (actual != crc32c) {
            throw new CorruptCheckpointException(String.format(
                    "Checksum mismatch in checkpoint file %s: expected CRC32C %08x, computed %08x",
                    path, crc32c, actual));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileStateHandle
                && ((FileStateHandle) o).path.equals(path)
                && ((FileStateHandle) o).size == size
                && ((FileStateHandle) o).crc32c == crc32c;
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}

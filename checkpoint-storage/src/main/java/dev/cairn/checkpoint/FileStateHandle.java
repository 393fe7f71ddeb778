package dev.cairn.checkpoint;

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
 * Snapshot bytes in a file, with the length and CRC32C recorded when it was written; {@link #verify()} checks
 * both before a restore trusts the file.
 */
public final class FileStateHandle implements StreamStateHandle {
    private final StoragePath path;
    private final StateScope scope;
    private final long size;
    private final int crc32c;

    public FileStateHandle(StoragePath path, StateScope scope, long size, int crc32c) {
        this.path = Objects.requireNonNull(path);
        this.scope = Objects.requireNonNull(scope);
        this.size = size;
        this.crc32c = crc32c;
    }

    public StoragePath getPath() {
        return path;
    }

    /** Exclusive files belong to one checkpoint; shared files are reference-counted across checkpoints. */
    public StateScope getScope() {
        return scope;
    }

    public int getCrc32c() {
        return crc32c;
    }

    @Override
    public java.util.OptionalInt recordedCrc32c() {
        return java.util.OptionalInt.of(crc32c);
    }

    @Override
    public StateInputStream openInputStream() throws IOException {
        return FileSystem.get(path).open(path);
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
        FileSystem.get(path).delete(path, false);
    }

    /**
     * Deletes many files with as few requests as their file systems allow (object stores delete in batches);
     * no error for files already gone.
     */
    public static void discardAll(Collection<FileStateHandle> files) throws IOException {
        Map<String, List<StoragePath>> byStore = new LinkedHashMap<>();
        for (FileStateHandle file : files) {
            URI uri = file.getPath().toUri();
            byStore.computeIfAbsent(uri.getScheme() + "://" + uri.getAuthority(), store -> new ArrayList<>())
                    .add(file.getPath());
        }
        for (List<StoragePath> paths : byStore.values()) {
            FileSystem.get(paths.get(0)).deleteAll(paths);
        }
    }

    /**
     * Reads the whole file and checks its length and CRC32C against the recorded values.
     *
     * @throws CorruptCheckpointException naming the file and the expected and actual values
     */
    public void verify() throws IOException {
        FileSystem fileSystem = FileSystem.get(path);
        if (!fileSystem.exists(path)) {
            throw new CorruptCheckpointException("Checkpoint file " + path + " is missing");
        }
        long actualSize = fileSystem.size(path);
        if (actualSize != size) {
            throw new CorruptCheckpointException("Checkpoint file " + path + " has " + actualSize
                    + " bytes, the metadata records " + size + (actualSize < size ? " (truncated)" : ""));
        }
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
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

package dev.cairn.benchmarks;

import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshot bytes in a local file, read through an unbuffered {@link RandomAccessFile}: every read is a system
 * call, so a restore that read element by element would show it. (The file checkpoint storage is a later issue;
 * this handle exists only to measure restore from disk.)
 */
final class FileStreamStateHandle implements StreamStateHandle {
    private final Path path;

    FileStreamStateHandle(Path path) {
        this.path = path;
    }

    @Override
    public StateInputStream openInputStream() throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
        return new StateInputStream() {
            @Override
            public void seek(long position) throws IOException {
                file.seek(position);
            }

            @Override
            public long getPos() throws IOException {
                return file.getFilePointer();
            }

            @Override
            public int read() throws IOException {
                return file.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return file.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public long getStateSize() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void discardState() throws IOException {
        Files.deleteIfExists(path);
    }
}

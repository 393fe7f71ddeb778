package dev.cairn.conformance;

import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Snapshot streams as files in one directory, so a test can see what a snapshot left behind; optionally every
 * stream's first write waits at a gate until the test opens it (to hold a snapshot's asynchronous part in the
 * middle of writing).
 */
final class DirectoryStreamFactory implements CheckpointStreamFactory {
    private final Path directory;
    private final AtomicInteger counter = new AtomicInteger();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch gate;

    private DirectoryStreamFactory(Path directory, boolean gated) {
        this.directory = directory;
        this.gate = new CountDownLatch(gated ? 1 : 0);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DirectoryStreamFactory in(Path directory) {
        return new DirectoryStreamFactory(directory, false);
    }

    /** Streams whose first write blocks until {@link #open()}. */
    static DirectoryStreamFactory gated(Path directory) {
        return new DirectoryStreamFactory(directory, true);
    }

    /** Waits until a writer is held at the gate; {@code false} on timeout. */
    boolean awaitWriterAtGate(long timeout, TimeUnit unit) throws InterruptedException {
        return reached.await(timeout, unit);
    }

    /** Whether a writer is held at the gate now. */
    boolean awaitWriterAtGateNow() {
        return reached.getCount() == 0;
    }

    void open() {
        gate.countDown();
    }

    /** The files in the directory now. */
    List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    @Override
    public CheckpointStateOutputStream createOutputStream(StateScope scope) throws IOException {
        Path file = directory.resolve(scope + "-" + counter.incrementAndGet());
        OutputStream out = Files.newOutputStream(file);
        return new CheckpointStateOutputStream() {
            private long position;
            private boolean gatePassed;
            private boolean closed;

            private void passGate() throws IOException {
                if (!gatePassed) {
                    gatePassed = true;
                    reached.countDown();
                    try {
                        if (!gate.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("The test never opened the gate");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("Interrupted at the gate");
                    }
                }
            }

            @Override
            public void write(int b) throws IOException {
                passGate();
                out.write(b);
                position++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                passGate();
                out.write(b, off, len);
                position += len;
            }

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public StreamStateHandle closeAndGetHandle() throws IOException {
                closed = true;
                out.close();
                return new FileHandle(file, position);
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    out.close();
                    Files.deleteIfExists(file);
                }
            }
        };
    }

    /** A snapshot file. */
    private record FileHandle(Path file, long size) implements StreamStateHandle {
        @Override
        public StateInputStream openInputStream() throws IOException {
            throw new IOException("Not restorable: the cancellation tests only look at what is left");
        }

        @Override
        public long getStateSize() {
            return size;
        }

        @Override
        public String describe() {
            return file.toString();
        }

        @Override
        public void discardState() throws IOException {
            Files.deleteIfExists(file);
        }
    }
}

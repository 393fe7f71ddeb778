package dev.cairn.state.support;

import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps snapshot bytes in memory as {@link ByteStreamStateHandle}s. For tests and for small state that the
 * {@code jobmanager} storage holds in memory; bounded by {@code maxStateSize}.
 */
public final class MemoryCheckpointStreamFactory implements CheckpointStreamFactory {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final long maxStateSize;

    /** Without a size limit (up to 2 GB per stream). */
    public MemoryCheckpointStreamFactory() {
        this(Integer.MAX_VALUE - 8);
    }

    /**
     * Streams larger than {@code maxStateSize} bytes fail with an {@link IOException} that says so.
     *
     * @param maxStateSize the largest stream in bytes
     */
    public MemoryCheckpointStreamFactory(long maxStateSize) {
        this.maxStateSize = maxStateSize;
    }

    @Override
    public CheckpointStateOutputStream createOutputStream(StateScope scope) {
        return new MemoryOutputStream("stream-" + COUNTER.incrementAndGet());
    }

    private final class MemoryOutputStream extends CheckpointStateOutputStream {
        private final String name;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

        MemoryOutputStream(String name) {
            this.name = name;
        }

        private ByteArrayOutputStream buffer() throws IOException {
            if (buffer == null) {
                throw new IOException("Stream " + name + " is closed");
            }
            return buffer;
        }

        private void checkSize(long extra) throws IOException {
            if (buffer().size() + extra > maxStateSize) {
                throw new IOException("In-memory state stream " + name + " exceeds the maximum state size of "
                        + maxStateSize + " bytes; use a file system checkpoint storage for larger state");
            }
        }

        @Override
        public void write(int b) throws IOException {
            checkSize(1);
            buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkSize(len);
            buffer.write(b, off, len);
        }

        @Override
        public long getPos() throws IOException {
            return buffer().size();
        }

        @Override
        public StreamStateHandle closeAndGetHandle() throws IOException {
            ByteStreamStateHandle handle = new ByteStreamStateHandle(name, buffer().toByteArray());
            buffer = null;
            return handle;
        }

        @Override
        public void close() {
            buffer = null;
        }
    }
}

package dev.cairn.state.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream a snapshot writes into. Either {@link #closeAndGetHandle()} completes it, or {@link #close()} discards
 * what was written.
 */
public abstract class CheckpointStateOutputStream extends OutputStream {
    /**
     * The number of bytes written so far (the offset of the next byte).
     *
     * @return the position
     * @throws IOException if the stream failed
     */
    public abstract long getPos() throws IOException;

    /**
     * Completes the stream and returns a handle to the written bytes.
     *
     * @return the handle, whose recorded length and checksum cover everything written
     * @throws IOException if the bytes could not be made durable
     */
    public abstract StreamStateHandle closeAndGetHandle() throws IOException;

    /** Discards the stream and anything written; no handle will be returned. */
    @Override
    public abstract void close() throws IOException;
}

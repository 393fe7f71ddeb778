package dev.cairn.state.spi;

import java.io.IOException;
import java.io.InputStream;

/** An input stream over snapshot bytes that can jump to an offset (the start of a key group). */
public abstract class StateInputStream extends InputStream {
    /**
     * Moves to an absolute offset.
     *
     * @param position the offset from the start of the stream
     * @throws IOException if the stream cannot move there
     */
    public abstract void seek(long position) throws IOException;

    /**
     * The current absolute offset.
     *
     * @return the offset of the next byte read
     * @throws IOException if the stream failed
     */
    public abstract long getPos() throws IOException;
}

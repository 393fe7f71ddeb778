package dev.cairn.state.spi;

import java.io.IOException;
import java.io.InputStream;

/** An input stream over snapshot bytes that can jump to an offset (the start of a key group). */
public abstract class StateInputStream extends InputStream {
    /** Moves to an absolute offset. */
    public abstract void seek(long position) throws IOException;

    /** The current absolute offset. */
    public abstract long getPos() throws IOException;
}

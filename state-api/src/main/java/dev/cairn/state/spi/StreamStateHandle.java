package dev.cairn.state.spi;

import java.io.IOException;

/** An immutable reference to a stream of snapshot bytes (a file, or bytes held in memory). */
public interface StreamStateHandle {
    /** Opens the bytes for reading. */
    StateInputStream openInputStream() throws IOException;

    /** The number of bytes. */
    long getStateSize();

    /** A name for error messages: a file path, or a description of in-memory bytes. */
    String describe();

    /** Deletes the underlying bytes if they are stored somewhere; must not fail if already gone. */
    void discardState() throws IOException;
}

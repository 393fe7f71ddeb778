package dev.cairn.state.spi;

import java.io.IOException;
import java.util.OptionalInt;

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

    /**
     * The CRC32C recorded when the bytes were written, if the storage records one; readers that copy the whole
     * stream (native restores) check it on the way instead of reading the bytes twice.
     */
    default OptionalInt recordedCrc32c() {
        return OptionalInt.empty();
    }
}

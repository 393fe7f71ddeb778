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

    /**
     * Checks bytes read in full from this stream — {@code length} of them with CRC32C {@code crc32c} — against the
     * recorded length and, when recorded, checksum.
     *
     * @throws dev.cairn.state.CorruptCheckpointException naming {@code what} and this stream on a mismatch
     */
    default void checkContent(long length, int crc32c, String what) {
        if (length != getStateSize()) {
            throw new dev.cairn.state.CorruptCheckpointException(what + " " + describe() + " has " + length
                    + " bytes, the metadata records " + getStateSize() + " (truncated or replaced)");
        }
        OptionalInt recorded = recordedCrc32c();
        if (recorded.isPresent() && recorded.getAsInt() != crc32c) {
            throw new dev.cairn.state.CorruptCheckpointException(String.format(
                    "Checksum mismatch in %s %s: expected CRC32C %08x, computed %08x",
                    what, describe(), recorded.getAsInt(), crc32c));
        }
    }
}

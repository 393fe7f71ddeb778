package dev.cairn.state.spi;

import java.io.IOException;
import java.util.OptionalInt;

/** An immutable reference to a stream of snapshot bytes (a file, or bytes held in memory). */
public interface StreamStateHandle {
    /**
     * Opens the bytes for reading.
     *
     * @return a seekable stream positioned at the first byte
     * @throws IOException if the bytes cannot be opened (e.g. the file is gone)
     */
    StateInputStream openInputStream() throws IOException;

    /**
     * The number of bytes.
     *
     * @return the length recorded when the bytes were written
     */
    long getStateSize();

    /**
     * A name for error messages.
     *
     * @return a file path, or a description of in-memory bytes
     */
    String describe();

    /**
     * Deletes the underlying bytes if they are stored somewhere; must not fail if already gone.
     *
     * @throws IOException if deleting failed
     */
    void discardState() throws IOException;

    /**
     * The CRC32C recorded when the bytes were written, if the storage records one; readers that copy the whole
     * stream (native restores) check it on the way instead of reading the bytes twice.
     *
     * @return the checksum, or empty when none was recorded
     */
    default OptionalInt recordedCrc32c() {
        return OptionalInt.empty();
    }

    /**
     * Checks bytes read in full from this stream — {@code length} of them with CRC32C {@code crc32c} — against the
     * recorded length and, when recorded, checksum.
     *
     * @param length the number of bytes read
     * @param crc32c their CRC32C
     * @param what what the stream is, for the message (e.g. {@code "SST file"})
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

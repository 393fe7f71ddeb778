package dev.cairn.state.internal;

import dev.cairn.state.CorruptCheckpointException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Reads one section framed by {@link ChecksummedBlockOutputStream}, verifying every block's CRC32C before handing
 * out its bytes. A mismatch, an impossible length or a truncated block raises a
 * {@link CorruptCheckpointException} naming the source and, for checksums, the expected and actual values.
 */
public final class ChecksummedBlockInputStream extends InputStream {
    private final InputStream in;
    private String source;
    private final byte[] block = new byte[ChecksummedBlockOutputStream.BLOCK_SIZE];
    private final byte[] frame = new byte[4];
    private final CRC32C crc = new CRC32C();
    private int fill;
    private int position;
    private boolean ended;

    /**
     * @param in positioned at the start of a section
     * @param source names the file or stream in error messages
     */
    public ChecksummedBlockInputStream(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /**
     * Starts reading the next section from the underlying stream, which the caller has positioned at its start:
     * reuses the 64 KiB block buffer, which matters to readers that visit many sections (a restore of incremental
     * heap chains seeks into a section per key group and file).
     *
     * @param source names the file or stream (and section) in error messages
     */
    public void restart(String source) {
        this.source = source;
        this.fill = 0;
        this.position = 0;
        this.ended = false;
    }

    /**
     * Checks that the reader consumed the whole section: no bytes are left and the end marker follows. Catches a
     * damaged or missing end marker, which the records themselves would not reveal.
     */
    public void expectEnd() throws IOException {
        if (read() != -1) {
            throw new CorruptCheckpointException("Unexpected data after the end of a section in " + source);
        }
    }

    private boolean fillBlock() throws IOException {
        if (ended) {
            return false;
        }
        int length = readInt();
        if (length == 0) {
            ended = true;
            return false;
        }
        if (length < 0 || length > block.length) {
            throw new CorruptCheckpointException("Corrupt block length " + length + " in " + source + " (allowed 1.."
                    + block.length + "); the file is damaged or not a Cairn snapshot");
        }
        readFully(block, length);
        int expected = readInt();
        crc.reset();
        crc.update(block, 0, length);
        int actual = (int) crc.getValue();
        if (actual != expected) {
            throw new CorruptCheckpointException(String.format(
                    "Checksum mismatch in %s: expected CRC32C %08x, computed %08x over a %d-byte block",
                    source, expected, actual, length));
        }
        fill = length;
        position = 0;
        return true;
    }

    private int readInt() throws IOException {
        readFully(frame, 4);
        return ((frame[0] & 0xFF) << 24) | ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
    }

    private void readFully(byte[] target, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(target, read, length - read);
            if (n < 0) {
                throw new CorruptCheckpointException(
                        "Unexpected end of " + source + ": the file is truncated", new EOFException());
            }
            read += n;
        }
    }

    @Override
    public int read() throws IOException {
        if (position == fill && !fillBlock()) {
            return -1;
        }
        return block[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == fill && !fillBlock()) {
            return -1;
        }
        int n = Math.min(len, fill - position);
        System.arraycopy(block, position, b, off, n);
        position += n;
        return n;
    }

    /** Does not close the underlying stream. */
    @Override
    public void close() {}
}

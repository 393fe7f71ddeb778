package dev.cairn.state.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Frames a byte stream into checksummed blocks: {@code [int length][length bytes][int crc32c]}, ended by a block
 * of length 0. Buffers a block in memory, so the underlying stream sees one large write per block, never one per
 * record. {@link #finish()} ends the framed section without closing the underlying stream, so several sections
 * (one per key group) can follow each other.
 */
public final class ChecksummedBlockOutputStream extends OutputStream {
    /** Block payload size: large enough to amortize the 8 framing bytes and the underlying write call. */
    public static final int BLOCK_SIZE = 64 * 1024;

    private final OutputStream out;
    private final byte[] block = new byte[BLOCK_SIZE];
    private final byte[] frame = new byte[4];
    private final CRC32C crc = new CRC32C();
    private int fill;
    /** Payload bytes of the blocks written so far. */
    private long flushed;

    public ChecksummedBlockOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (fill == BLOCK_SIZE) {
            flushBlock();
        }
        block[fill++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (fill == BLOCK_SIZE) {
                flushBlock();
            }
            int n = Math.min(len, BLOCK_SIZE - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Writes an unsigned LEB128 varint (the format of {@code VarInts}) straight into the block: the per-record fields
     * of a snapshot go here without a stream wrapper per byte (whose writes are synchronized).
     */
    public void writeVarInt(int value) throws IOException {
        if (fill > BLOCK_SIZE - 5) {
            flushBlock();
        }
        while ((value & ~0x7F) != 0) {
            block[fill++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        block[fill++] = (byte) value;
    }

    /** Writes 8 big-endian bytes straight into the block. */
    public void writeLong(long value) throws IOException {
        if (fill > BLOCK_SIZE - 8) {
            flushBlock();
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            block[fill++] = (byte) (value >>> shift);
        }
    }

    private void flushBlock() throws IOException {
        if (fill == 0) {
            return;
        }
        crc.reset();
        crc.update(block, 0, fill);
        writeInt(fill);
        out.write(block, 0, fill);
        writeInt((int) crc.getValue());
        flushed += fill;
        fill = 0;
    }

    private void writeInt(int v) throws IOException {
        frame[0] = (byte) (v >>> 24);
        frame[1] = (byte) (v >>> 16);
        frame[2] = (byte) (v >>> 8);
        frame[3] = (byte) v;
        out.write(frame, 0, 4);
    }

    /** {@return the payload bytes written so far, framing not counted} */
    public long position() {
        return flushed + fill;
    }

    /** Writes the buffered block and the end marker; the stream can be reused for the next section. */
    public void finish() throws IOException {
        flushBlock();
        writeInt(0);
    }

    /** Does not close the underlying stream; call {@link #finish()} first. */
    @Override
    public void close() {}
}

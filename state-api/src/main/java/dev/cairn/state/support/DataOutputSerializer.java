package dev.cairn.state.support;

import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A growable in-memory {@link DataOutput} (big-endian, as {@link java.io.DataOutputStream}), reused to serialize
 * keys and values into bytes without per-call allocation.
 */
public final class DataOutputSerializer implements DataOutput {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private byte[] buffer;
    private int position;

    /**
     * An empty output.
     *
     * @param initialSize the initial buffer size in bytes
     */
    public DataOutputSerializer(int initialSize) {
        buffer = new byte[Math.max(16, initialSize)];
    }

    /** {@return the internal buffer; valid up to {@link #length()}} */
    public byte[] getSharedBuffer() {
        return buffer;
    }

    /** {@return the number of bytes written} */
    public int length() {
        return position;
    }

    /** {@return a copy of the written bytes} */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    /** Forgets what was written; keeps the buffer. */
    public void clear() {
        position = 0;
    }

    private void ensure(int extra) throws IOException {
        long needed = (long) position + extra;
        if (needed > buffer.length) {
            if (needed > MAX_ARRAY) {
                throw new IOException(
                        "Serialized value exceeds the maximum of " + MAX_ARRAY + " bytes (needs " + needed + ")");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_ARRAY, Math.max(needed, buffer.length * 2L)));
        }
    }

    @Override
    public void write(int b) throws IOException {
        ensure(1);
        buffer[position++] = (byte) b;
    }

    @Override
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensure(len);
        System.arraycopy(b, off, buffer, position, len);
        position += len;
    }

    /**
     * Writes a non-negative int in 1-5 bytes (7 bits per byte, high bit = more follow).
     *
     * @param value the value
     * @throws IOException never in practice (the buffer grows)
     */
    public void writeVarInt(int value) throws IOException {
        if (value < 0) {
            throw new IllegalArgumentException("Negative varint " + value);
        }
        while ((value & ~0x7F) != 0) {
            writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        writeByte(value);
    }

    @Override
    public void writeBoolean(boolean v) throws IOException {
        write(v ? 1 : 0);
    }

    @Override
    public void writeByte(int v) throws IOException {
        write(v);
    }

    @Override
    public void writeShort(int v) throws IOException {
        ensure(2);
        buffer[position++] = (byte) (v >>> 8);
        buffer[position++] = (byte) v;
    }

    @Override
    public void writeChar(int v) throws IOException {
        writeShort(v);
    }

    @Override
    public void writeInt(int v) throws IOException {
        ensure(4);
        buffer[position++] = (byte) (v >>> 24);
        buffer[position++] = (byte) (v >>> 16);
        buffer[position++] = (byte) (v >>> 8);
        buffer[position++] = (byte) v;
    }

    @Override
    public void writeLong(long v) throws IOException {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
    }

    @Override
    public void writeFloat(float v) throws IOException {
        writeInt(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) throws IOException {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            write(s.charAt(i));
        }
    }

    @Override
    public void writeChars(String s) throws IOException {
        for (int i = 0; i < s.length(); i++) {
            writeChar(s.charAt(i));
        }
    }

    /** Java's modified UTF-8, exactly as {@link java.io.DataOutputStream#writeUTF}; strings up to 64 KB. */
    @Override
    public void writeUTF(String s) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length() + 2);
        new java.io.DataOutputStream(bytes).writeUTF(s);
        write(bytes.toByteArray());
    }
}

package dev.cairn.state.support;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;

/** A {@link DataInput} over a byte array slice, reusable via {@link #setBuffer}. */
public final class DataInputDeserializer implements DataInput {
    private byte[] buffer = new byte[0];
    private int position;
    private int end;

    /** An input with no bytes; set them with {@link #setBuffer}. */
    public DataInputDeserializer() {}

    /**
     * An input over all of {@code buffer}.
     *
     * @param buffer the bytes to read
     */
    public DataInputDeserializer(byte[] buffer) {
        setBuffer(buffer, 0, buffer.length);
    }

    /**
     * Reads {@code buffer[offset, offset + length)} next.
     *
     * @param buffer the bytes to read
     * @param offset where reading starts
     * @param length how many bytes may be read
     */
    public void setBuffer(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.position = offset;
        this.end = offset + length;
    }

    /** {@return the number of unread bytes} */
    public int available() {
        return end - position;
    }

    private void need(int n) throws EOFException {
        if (end - position < n) {
            throw new EOFException("Needed " + n + " bytes, " + (end - position) + " left");
        }
    }

    @Override
    public void readFully(byte[] b) throws IOException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        need(len);
        System.arraycopy(buffer, position, b, off, len);
        position += len;
    }

    @Override
    public int skipBytes(int n) {
        int skipped = Math.min(n, end - position);
        position += skipped;
        return skipped;
    }

    /**
     * Reads what {@link DataOutputSerializer#writeVarInt} wrote.
     *
     * @return the value
     * @throws IOException when the input ends early or the value is longer than five bytes
     */
    public int readVarInt() throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IOException("Varint out of range");
                }
                return value;
            }
        }
        throw new IOException("Malformed varint");
    }

    @Override
    public boolean readBoolean() throws IOException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws IOException {
        need(1);
        return buffer[position++];
    }

    @Override
    public int readUnsignedByte() throws IOException {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() throws IOException {
        need(2);
        short v = (short) (((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF));
        position += 2;
        return v;
    }

    @Override
    public int readUnsignedShort() throws IOException {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws IOException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws IOException {
        need(4);
        int v = ((buffer[position] & 0xFF) << 24)
                | ((buffer[position + 1] & 0xFF) << 16)
                | ((buffer[position + 2] & 0xFF) << 8)
                | (buffer[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    @Override
    public long readLong() throws IOException {
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws IOException {
        return Double.longBitsToDouble(readLong());
    }

    /** Not supported: nothing in Cairn writes line-terminated text. */
    @Override
    public String readLine() {
        throw new UnsupportedOperationException("readLine is not supported by DataInputDeserializer");
    }

    /** Java's modified UTF-8, as written by {@link java.io.DataOutputStream#writeUTF}. */
    @Override
    public String readUTF() throws IOException {
        return java.io.DataInputStream.readUTF(this);
    }
}

package dev.cairn.state.internal.serializers;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 variable-length ints: small lengths and counts take one byte. */
public final class VarInts {
    private VarInts() {}

    public static void write(DataOutput out, int value) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    public static int read(DataInput in) throws IOException {
        return read(in.readUnsignedByte(), in);
    }

    /** Reads a varint whose first byte was already read. */
    public static int read(int firstByte, DataInput in) throws IOException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = shift == 0 ? firstByte : in.readUnsignedByte();
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("Malformed variable-length int (more than 5 bytes)");
    }
}

package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.support.DataInputDeserializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Reads a delimited field (all that is left of its input) as bytes and writes bytes as they are: how offline tools
 * show values whose serializer's class is missing. It has no snapshot of its own: it never writes state.
 */
public final class RawBytesSerializer extends TypeSerializer<byte[]> {
    /** The instance. */
    public static final RawBytesSerializer INSTANCE = new RawBytesSerializer();

    private RawBytesSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public byte[] copy(byte[] from) {
        return from.clone();
    }

    @Override
    public void serialize(byte[] value, DataOutput out) throws IOException {
        out.write(value);
    }

    @Override
    public byte[] deserialize(DataInput in) throws IOException {
        if (!(in instanceof DataInputDeserializer field)) {
            throw new IllegalStateException("Raw bytes are readable only from a delimited field");
        }
        byte[] bytes = new byte[field.available()];
        field.readFully(bytes);
        return bytes;
    }

    @Override
    public TypeSerializerSnapshot<byte[]> snapshotConfiguration() {
        throw new UnsupportedOperationException("Raw bytes of a missing serializer are read, never written as state");
    }

    @Override
    public String toString() {
        return "RawBytesSerializer";
    }
}

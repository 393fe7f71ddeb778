package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Snapshot of a {@link BasicSerializer}: just its tag. Same tag means compatible as is. */
public final class BasicSerializerSnapshot<T> implements TypeSerializerSnapshot<T> {
    private String tag;

    /** For reflective instantiation when reading a snapshot. */
    public BasicSerializerSnapshot() {}

    BasicSerializerSnapshot(String tag) {
        this.tag = tag;
    }

    @Override
    public int getCurrentVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeUTF(tag);
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
        tag = in.readUTF();
        if (BasicSerializer.forTag(tag) == null) {
            throw new IOException("Unknown basic serializer '" + tag + "' in snapshot");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeSerializer<T> restoreSerializer() {
        return (TypeSerializer<T>) BasicSerializer.forTag(tag);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializer<T> newSerializer) {
        if (newSerializer instanceof BasicSerializer
                && ((BasicSerializer<?>) newSerializer).tag().equals(tag)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        return TypeSerializerSchemaCompatibility.incompatible(
                "data was written as '" + tag + "', the new serializer is " + newSerializer);
    }
}

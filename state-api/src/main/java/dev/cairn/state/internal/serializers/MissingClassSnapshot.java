package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Stands for a serializer snapshot whose class is not on the classpath (an application's serializer read by a tool
 * without the application's classes). It keeps the snapshot's bytes, so state copied as bytes keeps its snapshot
 * exactly, and reads its data as raw bytes when asked for a {@linkplain #genericSerializer() generic} serializer;
 * restoring or migrating state with it fails, naming the class.
 *
 * @param <T> the serialized type
 */
public final class MissingClassSnapshot<T> implements TypeSerializerSnapshot<T> {
    private final String className;
    private final int version;
    private final byte[] payload;

    /**
     * A snapshot of a class that could not be loaded.
     *
     * @param className the snapshot's class name, as written
     * @param version the version its fields were written at
     * @param payload its fields, as written
     */
    public MissingClassSnapshot(String className, int version, byte[] payload) {
        this.className = className;
        this.version = version;
        this.payload = payload.clone();
    }

    /** {@return the name of the missing snapshot class} */
    public String className() {
        return className;
    }

    @Override
    public int getCurrentVersion() {
        return version;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.write(payload);
    }

    @Override
    public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {
        throw new UnsupportedOperationException("A missing class's snapshot is created with its bytes");
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        throw missing();
    }

    /**
     * Reads each value as its raw bytes: a value is a delimited field at the top of a state's record (or the value
     * of a TTL wrapper), so its bytes are the rest of the input. Serializers that nest values without delimiting
     * them (lists, maps, arrays, optionals) refuse it.
     */
    @Override
    public TypeSerializer<?> genericSerializer() {
        return RawBytesSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializer<T> newSerializer) {
        throw missing();
    }

    private IllegalStateException missing() {
        return new IllegalStateException(
                "Serializer snapshot class " + className + " is not on the classpath: the application's classes are"
                        + " needed to read this state with its serializer or to restore it",
                new ClassNotFoundException(className));
    }

    @Override
    public String toString() {
        return "MissingClassSnapshot{" + className + "}";
    }
}

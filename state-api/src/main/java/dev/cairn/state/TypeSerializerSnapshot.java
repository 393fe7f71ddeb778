package dev.cairn.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The persistent description of a serializer: written into every snapshot next to the data it wrote, read back
 * on restore to (a) recreate a serializer that reads the old bytes and (b) judge whether the serializer the
 * application registers now is compatible.
 *
 * <p>Implementations need a public no-argument constructor: a snapshot is written as its class name, its
 * version and its own fields ({@link #writeVersionedSnapshot}), and recreated reflectively before
 * {@link #readSnapshot} fills it. No Java serialization is involved.
 *
 * @param <T> the serialized type
 */
public interface TypeSerializerSnapshot<T> {

    /** {@return the version of {@link #writeSnapshot}'s format, passed back to {@link #readSnapshot}} */
    int getCurrentVersion();

    /**
     * Writes this snapshot's fields.
     *
     * @param out where to write
     * @throws IOException when the output fails
     */
    void writeSnapshot(DataOutput out) throws IOException;

    /**
     * Reads fields written by {@link #writeSnapshot} at {@code readVersion}.
     *
     * @param readVersion the version the fields were written at
     * @param in where to read from
     * @param classLoader loads classes the snapshot names
     * @throws IOException when the input fails or is not a valid snapshot
     */
    void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException;

    /** {@return a serializer that reads data written by the serializer this snapshot describes} */
    TypeSerializer<T> restoreSerializer();

    /**
     * A serializer that reads data written by the serializer this snapshot describes without the application's
     * classes, for offline tools: JSON POJOs and records become Jackson {@code JsonNode} trees, enum constants their
     * names, and lists, maps, optionals, arrays and TTL values of them likewise; other serializers read as
     * {@link #restoreSerializer()} does. Values it reads are for looking at, not for restoring state with.
     *
     * @return the serializer; by default {@link #restoreSerializer()}
     * @throws IllegalStateException when a class the data needs is missing and the data cannot be read without it
     */
    default TypeSerializer<?> genericSerializer() {
        return restoreSerializer();
    }

    /**
     * {@return whether {@code newSerializer} can read (or migrate) data written by the serializer this snapshot describes}
     *
     * @param newSerializer the serializer that is to take over
     */
    TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializer<T> newSerializer);

    /**
     * Writes {@code snapshot} with its class name and version so that {@link #readVersionedSnapshot} can recreate it.
     *
     * @param out where to write
     * @param snapshot the snapshot
     * @throws IOException when the output fails
     */
    static void writeVersionedSnapshot(DataOutput out, TypeSerializerSnapshot<?> snapshot) throws IOException {
        out.writeUTF(snapshot.getClass().getName());
        out.writeInt(snapshot.getCurrentVersion());
        snapshot.writeSnapshot(out);
    }

    /**
     * Reads a snapshot written by {@link #writeVersionedSnapshot}.
     *
     * @param <T> the serialized type
     * @param in where to read from
     * @param classLoader loads the snapshot class
     * @return the snapshot
     * @throws IOException when the input fails or names an unknown class
     */
    @SuppressWarnings("unchecked")
    static <T> TypeSerializerSnapshot<T> readVersionedSnapshot(DataInput in, ClassLoader classLoader)
            throws IOException {
        String className = in.readUTF();
        int version = in.readInt();
        TypeSerializerSnapshot<T> snapshot;
        try {
            Class<?> type = Class.forName(className, true, classLoader);
            if (!TypeSerializerSnapshot.class.isAssignableFrom(type)) {
                throw new IOException("Class " + className + " named in the snapshot is not a TypeSerializerSnapshot");
            }
            snapshot = (TypeSerializerSnapshot<T>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IOException(
                    "Cannot instantiate serializer snapshot class " + className
                            + " (it needs a public no-argument constructor and must be on the classpath)",
                    e);
        }
        snapshot.readSnapshot(version, in, classLoader);
        return snapshot;
    }
}

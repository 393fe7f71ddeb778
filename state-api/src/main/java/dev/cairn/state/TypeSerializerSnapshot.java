package dev.cairn.state;

import dev.cairn.state.internal.serializers.MissingClassSnapshot;
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
     * Writes {@code snapshot} with its class name, version and length so that {@link #readVersionedSnapshot} can
     * recreate it — or, when its class is missing where it is read, keep its bytes and skip it.
     *
     * @param out where to write
     * @param snapshot the snapshot
     * @throws IOException when the output fails
     */
    static void writeVersionedSnapshot(DataOutput out, TypeSerializerSnapshot<?> snapshot) throws IOException {
        // A snapshot whose class was missing when it was read is written back as it was read.
        out.writeUTF(
                snapshot instanceof MissingClassSnapshot<?> missing
                        ? missing.className()
                        : snapshot.getClass().getName());
        // The complement of the version (negative) marks the length-prefixed form; the first form, without a
        // length, wrote the version itself (never negative) and is still read.
        out.writeInt(~snapshot.getCurrentVersion());
        java.io.ByteArrayOutputStream fields = new java.io.ByteArrayOutputStream(64);
        snapshot.writeSnapshot(new java.io.DataOutputStream(fields));
        out.writeInt(fields.size());
        out.write(fields.toByteArray());
    }

    /**
     * Reads a snapshot written by {@link #writeVersionedSnapshot}. When the snapshot's class is not found, a
     * length-prefixed snapshot is returned as a stand-in that keeps its bytes, reads its data as raw bytes in
     * offline tools ({@link #genericSerializer()}) and fails naming the class when it is used to restore state.
     *
     * @param <T> the serialized type
     * @param in where to read from
     * @param classLoader loads the snapshot class
     * @return the snapshot
     * @throws IOException when the input fails, or names a class that is not a snapshot, cannot be instantiated, or
     *     (in the first form, without a length) is missing
     */
    @SuppressWarnings("unchecked")
    static <T> TypeSerializerSnapshot<T> readVersionedSnapshot(DataInput in, ClassLoader classLoader)
            throws IOException {
        String className = in.readUTF();
        int versionField = in.readInt();
        boolean delimited = versionField < 0;
        int version = delimited ? ~versionField : versionField;
        byte[] fields = null;
        if (delimited) {
            int length = in.readInt();
            if (length < 0) {
                throw new IOException("Serializer snapshot " + className + " has a negative length " + length);
            }
            fields = new byte[length];
            in.readFully(fields);
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            if (delimited) {
                return new MissingClassSnapshot<>(className, version, fields);
            }
            throw new IOException("Serializer snapshot class " + className + " is not on the classpath", e);
        }
        if (!TypeSerializerSnapshot.class.isAssignableFrom(type)) {
            throw new IOException("Class " + className + " named in the snapshot is not a TypeSerializerSnapshot");
        }
        TypeSerializerSnapshot<T> snapshot;
        try {
            snapshot = (TypeSerializerSnapshot<T>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IOException(
                    "Cannot instantiate serializer snapshot class " + className
                            + " (it needs a public no-argument constructor)",
                    e);
        }
        if (delimited) {
            snapshot.readSnapshot(
                    version, new java.io.DataInputStream(new java.io.ByteArrayInputStream(fields)), classLoader);
        } else {
            snapshot.readSnapshot(version, in, classLoader);
        }
        return snapshot;
    }
}

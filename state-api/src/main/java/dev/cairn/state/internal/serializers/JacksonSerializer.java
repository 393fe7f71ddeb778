package dev.cairn.state.internal.serializers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * Serializes POJOs and records as length-prefixed JSON with Jackson. Unknown properties are ignored on read, so
 * adding or removing fields keeps old data readable (compatible as is).
 */
public final class JacksonSerializer<T> extends TypeSerializer<T> {
    /** Thread-safe once configured; shared by every Jackson serializer. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private final Class<T> type;

    public JacksonSerializer(Class<T> type) {
        this.type = Objects.requireNonNull(type);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public T copy(T from) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsBytes(from), type);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot copy " + type.getName() + " through JSON", e);
        }
    }

    @Override
    public void serialize(T value, DataOutput out) throws IOException {
        byte[] json = MAPPER.writeValueAsBytes(value);
        VarInts.write(out, json.length);
        out.write(json);
    }

    @Override
    public T deserialize(DataInput in) throws IOException {
        byte[] json = new byte[VarInts.read(in)];
        in.readFully(json);
        return MAPPER.readValue(json, type);
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JacksonSerializer && ((JacksonSerializer<?>) o).type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public String toString() {
        return "JacksonSerializer(" + type.getName() + ")";
    }

    /** Snapshot of a {@link JacksonSerializer}: the class name. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
        private String className;
        private ClassLoader classLoader;

        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.className = type.getName();
            this.classLoader = type.getClassLoader();
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) throws IOException {
            out.writeUTF(className);
        }

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
            this.className = in.readUTF();
            this.classLoader = classLoader;
        }

        /** JSON trees: the bytes are JSON, so no class is needed to read them. */
        @Override
        public TypeSerializer<?> genericSerializer() {
            return new JacksonSerializer<>(com.fasterxml.jackson.databind.JsonNode.class);
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<T> restoreSerializer() {
            try {
                return new JacksonSerializer<>((Class<T>) Class.forName(className, false, classLoader));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(
                        "Class " + className + " of restored JSON state is not on the classpath", e);
            }
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializer<T> newSerializer) {
            if (newSerializer instanceof JacksonSerializer
                    && ((JacksonSerializer<?>) newSerializer).type.getName().equals(className)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible(
                    "data was written as JSON of " + className + ", the new serializer is " + newSerializer);
        }
    }
}

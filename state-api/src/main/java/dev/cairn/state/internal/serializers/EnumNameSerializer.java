package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * Reads the constants an {@link EnumSerializer} wrote as their names, without the enum class: the generic form of
 * its snapshot, for offline tools. It writes names back as their serialized index.
 */
final class EnumNameSerializer extends TypeSerializer<String> {
    private final String className;
    private final List<String> names;

    EnumNameSerializer(String className, List<String> names) {
        this.className = className;
        this.names = List.copyOf(names);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public String copy(String from) {
        return from;
    }

    @Override
    public void serialize(String value, DataOutput out) throws IOException {
        int index = names.indexOf(value);
        if (index < 0) {
            throw new IOException("Enum " + className + " has no constant " + value);
        }
        VarInts.write(out, index);
    }

    @Override
    public String deserialize(DataInput in) throws IOException {
        int index = VarInts.read(in);
        if (index >= names.size()) {
            throw new IOException("Enum " + className + " has no constant for serialized index " + index);
        }
        return names.get(index);
    }

    /** A reading view has no snapshot of its own: state is restored with the enum's serializer. */
    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
        throw new UnsupportedOperationException(
                "The names of enum " + className + " are a reading view; write state with the enum's serializer");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumNameSerializer other && other.className.equals(className) && other.names.equals(names);
    }

    @Override
    public int hashCode() {
        return className.hashCode() * 31 + names.hashCode();
    }

    @Override
    public String toString() {
        return "EnumNameSerializer(" + className + ")";
    }
}

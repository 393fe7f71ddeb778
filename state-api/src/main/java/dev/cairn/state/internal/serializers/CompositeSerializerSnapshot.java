package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshot of a serializer built from nested serializers (list, map, optional, array). Compatibility is the
 * worst of the nested serializers' compatibilities, provided the outer serializer is of the same kind.
 */
public abstract class CompositeSerializerSnapshot<T, S extends TypeSerializer<T>> implements TypeSerializerSnapshot<T> {
    private List<TypeSerializerSnapshot<?>> nested;

    protected CompositeSerializerSnapshot() {}

    protected CompositeSerializerSnapshot(List<TypeSerializer<?>> nestedSerializers) {
        this.nested = new ArrayList<>();
        for (TypeSerializer<?> serializer : nestedSerializers) {
            nested.add(serializer.snapshotConfiguration());
        }
    }

    /** The outer serializer's class; a new serializer of another class is incompatible. */
    protected abstract Class<?> serializerClass();

    /** The nested serializers of a serializer of {@link #serializerClass()}. */
    protected abstract List<TypeSerializer<?>> nestedSerializers(S serializer);

    /** Builds the outer serializer from restored nested serializers. */
    protected abstract S createSerializer(List<TypeSerializer<?>> nestedSerializers);

    /** Extra fields of the outer serializer; none by default. */
    protected void writeOuterSnapshot(DataOutput out) throws IOException {}

    protected void readOuterSnapshot(DataInput in, ClassLoader classLoader) throws IOException {}

    /** Compatibility of the outer serializer's own fields; as is by default. */
    protected TypeSerializerSchemaCompatibility<T> resolveOuterCompatibility(S newSerializer) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }

    @Override
    public int getCurrentVersion() {
        return 1;
    }

    @Override
    public final void writeSnapshot(DataOutput out) throws IOException {
        writeOuterSnapshot(out);
        out.writeInt(nested.size());
        for (TypeSerializerSnapshot<?> snapshot : nested) {
            TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        }
    }

    @Override
    public final void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
        readOuterSnapshot(in, classLoader);
        int count = in.readInt();
        nested = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nested.add(TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader));
        }
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        List<TypeSerializer<?>> serializers = new ArrayList<>(nested.size());
        for (TypeSerializerSnapshot<?> snapshot : nested) {
            serializers.add(snapshot.restoreSerializer());
        }
        return createSerializer(serializers);
    }

    /** The same outer serializer over the nested serializers' generic forms. */
    @Override
    public TypeSerializer<?> genericSerializer() {
        List<TypeSerializer<?>> serializers = new ArrayList<>(nested.size());
        for (TypeSerializerSnapshot<?> snapshot : nested) {
            TypeSerializer<?> serializer = snapshot.genericSerializer();
            if (serializer instanceof RawBytesSerializer) {
                // Nested values are not delimited: without their serializer, where one ends is unknown.
                throw new IllegalStateException("Serializer snapshot class "
                        + ((MissingClassSnapshot<?>) snapshot).className() + " is not on the classpath, and values"
                        + " nested in " + getClass().getSimpleName() + " cannot be read without it");
            }
            serializers.add(serializer);
        }
        return createGenericSerializer(serializers);
    }

    /** The outer serializer over generic nested serializers; {@link #createSerializer} by default. */
    protected TypeSerializer<?> createGenericSerializer(List<TypeSerializer<?>> nestedSerializers) {
        return createSerializer(nestedSerializers);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializer<T> newSerializer) {
        if (newSerializer.getClass() != serializerClass()) {
            return TypeSerializerSchemaCompatibility.incompatible("data was written by "
                    + serializerClass().getSimpleName() + ", the new serializer is " + newSerializer);
        }
        S typed = (S) newSerializer;
        TypeSerializerSchemaCompatibility<T> result = resolveOuterCompatibility(typed);
        List<TypeSerializer<?>> newNested = nestedSerializers(typed);
        if (newNested.size() != nested.size()) {
            return TypeSerializerSchemaCompatibility.incompatible("different number of nested serializers");
        }
        for (int i = 0; i < nested.size(); i++) {
            TypeSerializerSnapshot snapshot = nested.get(i);
            result = result.and(snapshot.resolveSchemaCompatibility(newNested.get(i)));
        }
        return result;
    }
}

package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.List;
import java.util.Objects;

/** Serializes an object array {@code T[]}; elements may be {@code null}. */
public final class ArraySerializer<T> extends TypeSerializer<T[]> {
    private final Class<T> componentType;
    private final TypeSerializer<T> elementSerializer;

    public ArraySerializer(Class<T> componentType, TypeSerializer<T> elementSerializer) {
        this.componentType = Objects.requireNonNull(componentType);
        this.elementSerializer = Objects.requireNonNull(elementSerializer);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @SuppressWarnings("unchecked")
    private T[] newArray(int length) {
        return (T[]) Array.newInstance(componentType, length);
    }

    @Override
    public T[] copy(T[] from) {
        T[] copy = newArray(from.length);
        for (int i = 0; i < from.length; i++) {
            copy[i] = from[i] == null ? null : elementSerializer.copy(from[i]);
        }
        return copy;
    }

    @Override
    public void serialize(T[] value, DataOutput out) throws IOException {
        VarInts.write(out, value.length);
        for (T element : value) {
            out.writeBoolean(element != null);
            if (element != null) {
                elementSerializer.serialize(element, out);
            }
        }
    }

    @Override
    public T[] deserialize(DataInput in) throws IOException {
        T[] array = newArray(VarInts.read(in));
        for (int i = 0; i < array.length; i++) {
            array[i] = in.readBoolean() ? elementSerializer.deserialize(in) : null;
        }
        return array;
    }

    @Override
    public TypeSerializerSnapshot<T[]> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArraySerializer
                && ((ArraySerializer<?>) o).componentType == componentType
                && ((ArraySerializer<?>) o).elementSerializer.equals(elementSerializer);
    }

    @Override
    public int hashCode() {
        return componentType.hashCode() * 31 + elementSerializer.hashCode();
    }

    @Override
    public String toString() {
        return "ArraySerializer(" + componentType.getName() + ", " + elementSerializer + ")";
    }

    /** Snapshot of an {@link ArraySerializer}: the component class name and the element serializer. */
    public static final class Snapshot<T> extends CompositeSerializerSnapshot<T[], ArraySerializer<T>> {
        private String componentClassName;
        private Class<T> componentType;
        private ClassLoader classLoader;

        public Snapshot() {}

        Snapshot(ArraySerializer<T> serializer) {
            super(List.of(serializer.elementSerializer));
            this.componentType = serializer.componentType;
            this.componentClassName = serializer.componentType.getName();
        }

        @Override
        protected Class<?> serializerClass() {
            return ArraySerializer.class;
        }

        @Override
        protected List<TypeSerializer<?>> nestedSerializers(ArraySerializer<T> serializer) {
            return List.of(serializer.elementSerializer);
        }

        @Override
        protected void writeOuterSnapshot(DataOutput out) throws IOException {
            out.writeUTF(componentClassName);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void readOuterSnapshot(DataInput in, ClassLoader classLoader) throws IOException {
            componentClassName = in.readUTF();
            // Resolved when a serializer is needed: tools read the elements without the class.
            this.classLoader = classLoader;
        }

        @SuppressWarnings("unchecked")
        private Class<T> componentType() {
            if (componentType == null) {
                try {
                    componentType = (Class<T>) Class.forName(componentClassName, false, classLoader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(
                            "Array component class " + componentClassName + " is not on the classpath", e);
                }
            }
            return componentType;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected TypeSerializer<?> createGenericSerializer(List<TypeSerializer<?>> nested) {
            return new ArraySerializer(Object.class, nested.get(0));
        }

        @Override
        protected TypeSerializerSchemaCompatibility<T[]> resolveOuterCompatibility(ArraySerializer<T> newSerializer) {
            return newSerializer.componentType.getName().equals(componentClassName)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible("array component type changed from "
                            + componentClassName + " to " + newSerializer.componentType.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        protected ArraySerializer<T> createSerializer(List<TypeSerializer<?>> nested) {
            return new ArraySerializer<>(componentType(), (TypeSerializer<T>) nested.get(0));
        }
    }
}

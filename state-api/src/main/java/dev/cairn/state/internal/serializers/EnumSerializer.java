package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Serializes an enum by the index of its constant in a fixed constant list. The snapshot keeps the constant
 * names, so constants may be appended (compatible as is) or reordered (compatible after migration: old data is
 * read by name); a removed constant makes old data incompatible.
 */
public final class EnumSerializer<E extends Enum<E>> extends TypeSerializer<E> {
    private final Class<E> enumClass;
    /** Constants by serialized index; a {@code null} slot is a constant that no longer exists. */
    private final E[] constants;

    public EnumSerializer(Class<E> enumClass) {
        this(enumClass, enumClass.getEnumConstants());
    }

    private EnumSerializer(Class<E> enumClass, E[] constants) {
        this.enumClass = Objects.requireNonNull(enumClass);
        this.constants = constants;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public E copy(E from) {
        return from;
    }

    @Override
    public void serialize(E value, DataOutput out) throws IOException {
        VarInts.write(out, value.ordinal());
    }

    @Override
    public E deserialize(DataInput in) throws IOException {
        int index = VarInts.read(in);
        if (index >= constants.length || constants[index] == null) {
            throw new IOException("Enum " + enumClass.getName() + " has no constant for serialized index " + index);
        }
        return constants[index];
    }

    @Override
    public TypeSerializerSnapshot<E> snapshotConfiguration() {
        return new Snapshot<>(enumClass);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnumSerializer && ((EnumSerializer<?>) o).enumClass == enumClass;
    }

    @Override
    public int hashCode() {
        return enumClass.hashCode();
    }

    @Override
    public String toString() {
        return "EnumSerializer(" + enumClass.getName() + ")";
    }

    /** Snapshot of an {@link EnumSerializer}: the enum class and its constant names in serialized order. */
    public static final class Snapshot<E extends Enum<E>> implements TypeSerializerSnapshot<E> {
        private String className;
        private List<String> names;
        private Class<E> enumClass;
        private ClassLoader classLoader;

        public Snapshot() {}

        Snapshot(Class<E> enumClass) {
            this.enumClass = enumClass;
            this.className = enumClass.getName();
            this.names =
                    Arrays.stream(enumClass.getEnumConstants()).map(Enum::name).toList();
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) throws IOException {
            out.writeUTF(className);
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
            className = in.readUTF();
            int count = in.readInt();
            String[] read = new String[count];
            for (int i = 0; i < count; i++) {
                read[i] = in.readUTF();
            }
            names = List.of(read);
            // Resolved when a serializer is needed: tools read the names without the class.
            this.classLoader = classLoader;
        }

        @SuppressWarnings("unchecked")
        private Class<E> enumClass() {
            if (enumClass == null) {
                try {
                    enumClass = (Class<E>) Class.forName(className, false, classLoader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("Enum class " + className + " is not on the classpath", e);
                }
            }
            return enumClass;
        }

        /** The constants' names, by serialized index. */
        @Override
        public TypeSerializer<?> genericSerializer() {
            return new EnumNameSerializer(className, names);
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializer<E> restoreSerializer() {
            Class<E> enumClass = enumClass();
            E[] byOldIndex = (E[]) java.lang.reflect.Array.newInstance(enumClass, names.size());
            for (int i = 0; i < names.size(); i++) {
                for (E constant : enumClass.getEnumConstants()) {
                    if (constant.name().equals(names.get(i))) {
                        byOldIndex[i] = constant;
                    }
                }
            }
            return new EnumSerializer<>(enumClass, byOldIndex);
        }

        @Override
        public TypeSerializerSchemaCompatibility<E> resolveSchemaCompatibility(TypeSerializer<E> newSerializer) {
            if (!(newSerializer instanceof EnumSerializer)
                    || !((EnumSerializer<?>) newSerializer).enumClass.getName().equals(className)) {
                return TypeSerializerSchemaCompatibility.incompatible(
                        "data was written for enum " + className + ", the new serializer is " + newSerializer);
            }
            List<String> current = Arrays.stream(((EnumSerializer<?>) newSerializer).enumClass.getEnumConstants())
                    .map(Enum::name)
                    .toList();
            for (String name : names) {
                if (!current.contains(name)) {
                    return TypeSerializerSchemaCompatibility.incompatible(
                            "enum constant " + className + "." + name + " was removed");
                }
            }
            return current.subList(0, names.size()).equals(names)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}

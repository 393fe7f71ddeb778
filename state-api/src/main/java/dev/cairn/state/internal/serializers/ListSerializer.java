package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Serializes a {@code List<T>} (as an {@link ArrayList}) as a count followed by its non-null elements. */
public final class ListSerializer<T> extends TypeSerializer<List<T>> {
    private final TypeSerializer<T> elementSerializer;

    public ListSerializer(TypeSerializer<T> elementSerializer) {
        this.elementSerializer = Objects.requireNonNull(elementSerializer);
    }

    public TypeSerializer<T> elementSerializer() {
        return elementSerializer;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public List<T> copy(List<T> from) {
        List<T> copy = new ArrayList<>(from.size());
        for (T element : from) {
            copy.add(elementSerializer.copy(element));
        }
        return copy;
    }

    @Override
    public void serialize(List<T> value, DataOutput out) throws IOException {
        VarInts.write(out, value.size());
        for (T element : value) {
            elementSerializer.serialize(element, out);
        }
    }

    @Override
    public List<T> deserialize(DataInput in) throws IOException {
        int size = VarInts.read(in);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(elementSerializer.deserialize(in));
        }
        return list;
    }

    @Override
    public TypeSerializerSnapshot<List<T>> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListSerializer && ((ListSerializer<?>) o).elementSerializer.equals(elementSerializer);
    }

    @Override
    public int hashCode() {
        return elementSerializer.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return "ListSerializer(" + elementSerializer + ")";
    }

    /** Snapshot of a {@link ListSerializer}. */
    public static final class Snapshot<T> extends CompositeSerializerSnapshot<List<T>, ListSerializer<T>> {
        public Snapshot() {}

        Snapshot(ListSerializer<T> serializer) {
            super(List.of(serializer.elementSerializer));
        }

        @Override
        protected Class<?> serializerClass() {
            return ListSerializer.class;
        }

        @Override
        protected List<TypeSerializer<?>> nestedSerializers(ListSerializer<T> serializer) {
            return List.of(serializer.elementSerializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected ListSerializer<T> createSerializer(List<TypeSerializer<?>> nested) {
            return new ListSerializer<>((TypeSerializer<T>) nested.get(0));
        }
    }
}

package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Serializes an {@code Optional<T>} as a presence flag followed by the value. */
public final class OptionalSerializer<T> extends TypeSerializer<Optional<T>> {
    private final TypeSerializer<T> valueSerializer;

    public OptionalSerializer(TypeSerializer<T> valueSerializer) {
        this.valueSerializer = Objects.requireNonNull(valueSerializer);
    }

    @Override
    public boolean isImmutableType() {
        return valueSerializer.isImmutableType();
    }

    @Override
    public Optional<T> copy(Optional<T> from) {
        return from.map(valueSerializer::copy);
    }

    @Override
    public void serialize(Optional<T> value, DataOutput out) throws IOException {
        out.writeBoolean(value.isPresent());
        if (value.isPresent()) {
            valueSerializer.serialize(value.get(), out);
        }
    }

    @Override
    public Optional<T> deserialize(DataInput in) throws IOException {
        return in.readBoolean() ? Optional.of(valueSerializer.deserialize(in)) : Optional.empty();
    }

    @Override
    public TypeSerializerSnapshot<Optional<T>> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptionalSerializer && ((OptionalSerializer<?>) o).valueSerializer.equals(valueSerializer);
    }

    @Override
    public int hashCode() {
        return valueSerializer.hashCode() * 31 + 2;
    }

    @Override
    public String toString() {
        return "OptionalSerializer(" + valueSerializer + ")";
    }

    /** Snapshot of an {@link OptionalSerializer}. */
    public static final class Snapshot<T> extends CompositeSerializerSnapshot<Optional<T>, OptionalSerializer<T>> {
        public Snapshot() {}

        Snapshot(OptionalSerializer<T> serializer) {
            super(List.of(serializer.valueSerializer));
        }

        @Override
        protected Class<?> serializerClass() {
            return OptionalSerializer.class;
        }

        @Override
        protected List<TypeSerializer<?>> nestedSerializers(OptionalSerializer<T> serializer) {
            return List.of(serializer.valueSerializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected OptionalSerializer<T> createSerializer(List<TypeSerializer<?>> nested) {
            return new OptionalSerializer<>((TypeSerializer<T>) nested.get(0));
        }
    }
}

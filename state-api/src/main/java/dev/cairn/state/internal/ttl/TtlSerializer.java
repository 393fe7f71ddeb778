package dev.cairn.state.internal.ttl;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.support.TtlValue;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/** Serializes a {@link TtlValue}: the timestamp, a null flag, then the user value. */
public final class TtlSerializer<T> extends TypeSerializer<TtlValue<T>> {
    private final TypeSerializer<T> userSerializer;

    public TtlSerializer(TypeSerializer<T> userSerializer) {
        this.userSerializer = Objects.requireNonNull(userSerializer);
    }

    public TypeSerializer<T> getUserSerializer() {
        return userSerializer;
    }

    @Override
    public boolean isImmutableType() {
        return userSerializer.isImmutableType();
    }

    @Override
    public TtlValue<T> copy(TtlValue<T> from) {
        T value = from.userValue();
        return new TtlValue<>(value == null ? null : userSerializer.copy(value), from.lastAccessTimestamp());
    }

    @Override
    public void serialize(TtlValue<T> value, DataOutput out) throws IOException {
        out.writeLong(value.lastAccessTimestamp());
        out.writeBoolean(value.userValue() == null);
        if (value.userValue() != null) {
            userSerializer.serialize(value.userValue(), out);
        }
    }

    @Override
    public TtlValue<T> deserialize(DataInput in) throws IOException {
        long timestamp = in.readLong();
        return new TtlValue<>(in.readBoolean() ? null : userSerializer.deserialize(in), timestamp);
    }

    @Override
    public TypeSerializerSnapshot<TtlValue<T>> snapshotConfiguration() {
        return new Snapshot<>(userSerializer.snapshotConfiguration());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TtlSerializer && ((TtlSerializer<?>) o).userSerializer.equals(userSerializer);
    }

    @Override
    public int hashCode() {
        return userSerializer.hashCode() * 31 + 7;
    }

    @Override
    public String toString() {
        return "TtlSerializer(" + userSerializer + ")";
    }

    /** Snapshot of a {@link TtlSerializer}: the user serializer's snapshot. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<TtlValue<T>> {
        private TypeSerializerSnapshot<T> userSnapshot;

        public Snapshot() {}

        Snapshot(TypeSerializerSnapshot<T> userSnapshot) {
            this.userSnapshot = userSnapshot;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) throws IOException {
            TypeSerializerSnapshot.writeVersionedSnapshot(out, userSnapshot);
        }

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
            userSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader);
        }

        /** The snapshot of the user value's serializer. */
        public TypeSerializerSnapshot<T> getUserSnapshot() {
            return userSnapshot;
        }

        /** TTL values of the user serializer's generic form. */
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public TypeSerializer<?> genericSerializer() {
            return new TtlSerializer(userSnapshot.genericSerializer());
        }

        @Override
        public TypeSerializer<TtlValue<T>> restoreSerializer() {
            return new TtlSerializer<>(userSnapshot.restoreSerializer());
        }

        @Override
        @SuppressWarnings("unchecked")
        public TypeSerializerSchemaCompatibility<TtlValue<T>> resolveSchemaCompatibility(
                TypeSerializer<TtlValue<T>> newSerializer) {
            if (!(newSerializer instanceof TtlSerializer)) {
                return TypeSerializerSchemaCompatibility.incompatible(
                        "the state was written with TTL enabled and is read without (StateMetaInfo.checkCompatibility"
                                + " migrates between the two)");
            }
            TypeSerializerSchemaCompatibility<T> user = userSnapshot.resolveSchemaCompatibility(
                    ((TtlSerializer<T>) (TypeSerializer<?>) newSerializer).userSerializer);
            return (TypeSerializerSchemaCompatibility<TtlValue<T>>) (TypeSerializerSchemaCompatibility<?>) user;
        }
    }
}

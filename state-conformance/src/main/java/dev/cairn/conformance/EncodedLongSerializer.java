package dev.cairn.conformance;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A long serializer whose bytes depend on an encoding number (the value XOR the encoding): data written with one
 * encoding is compatible with another only after migration, so a backend that keeps serialized bytes must rewrite
 * it, and one that does not is caught by the differing bytes in its next snapshot.
 */
public final class EncodedLongSerializer extends TypeSerializer<Long> {
    private final long encoding;

    public EncodedLongSerializer(long encoding) {
        this.encoding = encoding;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Long copy(Long from) {
        return from;
    }

    @Override
    public void serialize(Long value, DataOutput out) throws IOException {
        out.writeLong(value ^ encoding);
    }

    @Override
    public Long deserialize(DataInput in) throws IOException {
        return in.readLong() ^ encoding;
    }

    @Override
    public TypeSerializerSnapshot<Long> snapshotConfiguration() {
        Snapshot snapshot = new Snapshot();
        snapshot.encoding = encoding;
        return snapshot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedLongSerializer other && other.encoding == encoding;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(encoding);
    }

    /** Remembers the encoding. */
    public static final class Snapshot implements TypeSerializerSnapshot<Long> {
        private long encoding;

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) throws IOException {
            out.writeLong(encoding);
        }

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) throws IOException {
            encoding = in.readLong();
        }

        @Override
        public TypeSerializer<Long> restoreSerializer() {
            return new EncodedLongSerializer(encoding);
        }

        @Override
        public TypeSerializerSchemaCompatibility<Long> resolveSchemaCompatibility(TypeSerializer<Long> newSerializer) {
            if (!(newSerializer instanceof EncodedLongSerializer other)) {
                return TypeSerializerSchemaCompatibility.incompatible("not an EncodedLongSerializer");
            }
            return other.encoding == encoding
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}

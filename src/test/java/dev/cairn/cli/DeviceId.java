package dev.cairn.cli;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An application's key type with its own serializer: the {@code cairn} process does not have these classes unless
 * it is given {@code --classpath}.
 *
 * @param id the device's number
 */
public record DeviceId(long id) {
    /** The application's serializer of {@link DeviceId}: 8 bytes. */
    public static final class Serializer extends TypeSerializer<DeviceId> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public DeviceId copy(DeviceId from) {
            return from;
        }

        @Override
        public void serialize(DeviceId value, DataOutput out) throws IOException {
            out.writeLong(value.id());
        }

        @Override
        public DeviceId deserialize(DataInput in) throws IOException {
            return new DeviceId(in.readLong());
        }

        @Override
        public TypeSerializerSnapshot<DeviceId> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer's snapshot. */
    public static final class Snapshot implements TypeSerializerSnapshot<DeviceId> {
        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) {}

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {}

        @Override
        public TypeSerializer<DeviceId> restoreSerializer() {
            return new Serializer();
        }

        @Override
        public TypeSerializerSchemaCompatibility<DeviceId> resolveSchemaCompatibility(
                TypeSerializer<DeviceId> newSerializer) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
    }
}

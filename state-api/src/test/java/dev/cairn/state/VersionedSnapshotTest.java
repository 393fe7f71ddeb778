package dev.cairn.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The envelope every serializer snapshot is written in: class name, version and length. A reader without the
 * snapshot's class keeps its bytes (and writes them back unchanged); snapshots written before the length was
 * recorded are still read.
 */
class VersionedSnapshotTest {
    /** Hides the JSON serializer's snapshot class, as a tool without an application's classes would miss it. */
    private static final class Hiding extends ClassLoader {
        private final String hidden;

        Hiding(String hidden) {
            super(VersionedSnapshotTest.class.getClassLoader());
            this.hidden = hidden;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(hidden)) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    record Reading(String sensor, double value) {}

    private static byte[] write(TypeSerializerSnapshot<?> snapshot) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TypeSerializerSnapshot.writeVersionedSnapshot(new DataOutputStream(bytes), snapshot);
        return bytes.toByteArray();
    }

    private static TypeSerializerSnapshot<?> read(byte[] bytes, ClassLoader loader) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        TypeSerializerSnapshot<?> snapshot = TypeSerializerSnapshot.readVersionedSnapshot(in, loader);
        assertThat(in.available()).as("the whole envelope is read").isZero();
        return snapshot;
    }

    @Test
    void aMissingClassKeepsTheSnapshotsBytesAndFailsClearlyWhenUsedToRestore() throws IOException {
        TypeSerializerSnapshot<?> original = Serializers.json(Reading.class).snapshotConfiguration();
        byte[] written = write(original);
        TypeSerializerSnapshot<?> stand =
                read(written, new Hiding(original.getClass().getName()));

        assertThat(write(stand)).as("written back unchanged").isEqualTo(written);
        assertThat(read(written, getClass().getClassLoader()).restoreSerializer())
                .isEqualTo(Serializers.json(Reading.class));
        assertThatThrownBy(stand::restoreSerializer)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(original.getClass().getName())
                .hasRootCauseInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void nestedValuesOfAMissingClassCannotBeReadAsBytes() throws IOException {
        TypeSerializer<List<Optional<String>>> nested = Serializers.listOf(Serializers.optionalOf(Serializers.STRING));
        byte[] written = write(nested.snapshotConfiguration());
        String optionalSnapshot = Serializers.optionalOf(Serializers.STRING)
                .snapshotConfiguration()
                .getClass()
                .getName();
        TypeSerializerSnapshot<?> list = read(written, new Hiding(optionalSnapshot));
        assertThatThrownBy(list::genericSerializer)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(optionalSnapshot);
    }

    @Test
    void snapshotsWrittenWithoutALengthAreStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        TypeSerializerSnapshot<?> snapshot = Serializers.LONG.snapshotConfiguration();
        out.writeUTF(snapshot.getClass().getName()); // the first form: class name, version, fields
        out.writeInt(snapshot.getCurrentVersion());
        snapshot.writeSnapshot(out);
        assertThat(read(bytes.toByteArray(), getClass().getClassLoader()).restoreSerializer())
                .isEqualTo(Serializers.LONG);
        assertThatThrownBy(() ->
                        read(bytes.toByteArray(), new Hiding(snapshot.getClass().getName())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(snapshot.getClass().getName());
    }
}

package dev.cairn.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.support.DataInputDeserializer;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SerializersTest {

    enum Color {
        RED,
        GREEN,
        BLUE
    }

    /** A record serialized as JSON. */
    public record Order(String id, long cents, List<String> items) {}

    static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.toByteArray());
        T read = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left after deserializing").isZero();
        return read;
    }

    @SuppressWarnings("unchecked")
    static <T> TypeSerializerSnapshot<T> snapshotRoundTrip(TypeSerializer<T> serializer) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.toByteArray()), SerializersTest.class.getClassLoader());
    }

    static Stream<Arguments> values() {
        Map<String, Long> map = new HashMap<>();
        map.put("a", 1L);
        map.put("nothing", null);
        return Stream.of(
                Arguments.of(Serializers.BOOLEAN, true),
                Arguments.of(Serializers.BYTE, (byte) -3),
                Arguments.of(Serializers.SHORT, (short) 300),
                Arguments.of(Serializers.INT, Integer.MIN_VALUE),
                Arguments.of(Serializers.LONG, Long.MAX_VALUE),
                Arguments.of(Serializers.FLOAT, 1.5f),
                Arguments.of(Serializers.DOUBLE, -0.25),
                Arguments.of(Serializers.CHAR, 'é'),
                Arguments.of(Serializers.STRING, "grüße, 世界 \0 😀"),
                Arguments.of(Serializers.STRING, "x".repeat(100_000)),
                Arguments.of(Serializers.BYTE_ARRAY, new byte[] {1, 2, 3}),
                Arguments.of(Serializers.INT_ARRAY, new int[] {1, -2}),
                Arguments.of(Serializers.LONG_ARRAY, new long[] {7L}),
                Arguments.of(Serializers.DOUBLE_ARRAY, new double[] {0.5}),
                Arguments.of(Serializers.listOf(Serializers.STRING), new ArrayList<>(List.of("a", "b"))),
                Arguments.of(Serializers.mapOf(Serializers.STRING, Serializers.LONG), map),
                Arguments.of(Serializers.optionalOf(Serializers.INT), Optional.of(4)),
                Arguments.of(Serializers.optionalOf(Serializers.INT), Optional.empty()),
                Arguments.of(Serializers.arrayOf(String.class, Serializers.STRING), new String[] {"a", null}),
                Arguments.of(Serializers.enumOf(Color.class), Color.BLUE),
                Arguments.of(Serializers.json(Order.class), new Order("o-1", 1999, List.of("book"))),
                Arguments.of(Serializers.VOID_NAMESPACE, VoidNamespace.INSTANCE));
    }

    @ParameterizedTest
    @MethodSource("values")
    <T> void valuesRoundTripAndCopiesAreEqualButIndependent(TypeSerializer<T> serializer, T value) throws IOException {
        assertThat(roundTrip(serializer, value)).isEqualTo(value);
        T copy = serializer.copy(value);
        assertThat(copy).isEqualTo(value);
        if (!serializer.isImmutableType() && !(value instanceof Optional)) {
            assertThat(copy).isNotSameAs(value);
        }
    }

    @ParameterizedTest
    @MethodSource("values")
    <T> void snapshotsRestoreAnEquivalentSerializerThatIsCompatibleAsIs(TypeSerializer<T> serializer, T value)
            throws IOException {
        TypeSerializerSnapshot<T> snapshot = snapshotRoundTrip(serializer);
        assertThat(snapshot.resolveSchemaCompatibility(serializer).isCompatibleAsIs())
                .isTrue();
        TypeSerializer<T> restored = snapshot.restoreSerializer();
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(value, out);
        assertThat(restored.deserialize(new DataInputDeserializer(out.toByteArray())))
                .isEqualTo(value);
    }

    @Property
    void stringsRoundTrip(@ForAll String value) throws IOException {
        assertThat(roundTrip(Serializers.STRING, value)).isEqualTo(value);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void differentTypesAreIncompatibleWithAReason() throws IOException {
        TypeSerializerSchemaCompatibility<Long> c =
                snapshotRoundTrip(Serializers.LONG).resolveSchemaCompatibility((TypeSerializer) Serializers.STRING);
        assertThat(c.isIncompatible()).isTrue();
        assertThat(c.reason()).contains("long");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void nestedIncompatibilityPropagates() throws IOException {
        TypeSerializerSnapshot snapshot = snapshotRoundTrip(Serializers.listOf(Serializers.LONG));
        assertThat(snapshot.resolveSchemaCompatibility(Serializers.listOf(Serializers.STRING))
                        .isIncompatible())
                .isTrue();
        assertThat(snapshot.resolveSchemaCompatibility(Serializers.listOf(Serializers.LONG))
                        .isCompatibleAsIs())
                .isTrue();
        TypeSerializerSnapshot map = snapshotRoundTrip(Serializers.mapOf(Serializers.STRING, Serializers.LONG));
        assertThat(map.resolveSchemaCompatibility(Serializers.mapOf(Serializers.STRING, Serializers.INT))
                        .isIncompatible())
                .isTrue();
    }

    /** Writes an enum snapshot as an older version of {@link Color} with the given constants would have. */
    @SuppressWarnings("unchecked")
    private static TypeSerializerSnapshot<Color> olderColorSnapshot(String... constants) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(dev.cairn.state.internal.serializers.EnumSerializer.Snapshot.class.getName());
        out.writeInt(1);
        out.writeUTF(Color.class.getName());
        out.writeInt(constants.length);
        for (String constant : constants) {
            out.writeUTF(constant);
        }
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.toByteArray()), SerializersTest.class.getClassLoader());
    }

    @Test
    void enumEvolution() throws IOException {
        TypeSerializer<Color> current = Serializers.enumOf(Color.class);
        assertThat(olderColorSnapshot("RED", "GREEN")
                        .resolveSchemaCompatibility(current)
                        .isCompatibleAsIs())
                .as("constant appended")
                .isTrue();
        TypeSerializerSnapshot<Color> reordered = olderColorSnapshot("BLUE", "RED", "GREEN");
        assertThat(reordered.resolveSchemaCompatibility(current).kind())
                .isEqualTo(TypeSerializerSchemaCompatibility.Kind.COMPATIBLE_AFTER_MIGRATION);
        // Old index 0 was BLUE: the restore serializer maps it by name.
        assertThat(reordered.restoreSerializer().deserialize(new DataInputDeserializer(new byte[] {0})))
                .isEqualTo(Color.BLUE);
        TypeSerializerSchemaCompatibility<Color> removed =
                olderColorSnapshot("RED", "PURPLE").resolveSchemaCompatibility(current);
        assertThat(removed.isIncompatible()).isTrue();
        assertThat(removed.reason()).contains("PURPLE");
    }

    @Test
    void jsonIgnoresUnknownPropertiesSoFieldsCanBeRemoved() throws IOException {
        byte[] json = "{\"id\":\"x\",\"cents\":5,\"items\":[],\"removedField\":1}".getBytes();
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeByte(json.length);
        out.write(json);
        assertThat(Serializers.json(Order.class).deserialize(new DataInputDeserializer(out.toByteArray())))
                .isEqualTo(new Order("x", 5, List.of()));
    }

    @Test
    void unknownSnapshotClassIsAClearError() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF("com.example.Gone");
        out.writeInt(1);
        assertThatThrownBy(() -> TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.toByteArray()), getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("com.example.Gone");
    }
}

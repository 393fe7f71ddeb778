package dev.cairn.state;

import dev.cairn.state.internal.serializers.ArraySerializer;
import dev.cairn.state.internal.serializers.BasicSerializer;
import dev.cairn.state.internal.serializers.EnumSerializer;
import dev.cairn.state.internal.serializers.JacksonSerializer;
import dev.cairn.state.internal.serializers.ListSerializer;
import dev.cairn.state.internal.serializers.MapSerializer;
import dev.cairn.state.internal.serializers.OptionalSerializer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in serializers. Primitive wrappers and arrays reject {@code null}; containers document their own
 * null handling. Every serializer here writes a snapshot that restores it exactly.
 *
 * <p><b>Caveats:</b> keys hash with {@link Object#hashCode()}, which must be stable across JVMs: use Strings,
 * numbers, records of those, or {@code json(...)} types with a value-based {@code hashCode()} as keys; never
 * enums or arrays (identity hash codes).
 */
public final class Serializers {
    private Serializers() {}

    public static final TypeSerializer<Boolean> BOOLEAN = BasicSerializer.BOOLEAN;
    public static final TypeSerializer<Byte> BYTE = BasicSerializer.BYTE;
    public static final TypeSerializer<Short> SHORT = BasicSerializer.SHORT;
    public static final TypeSerializer<Integer> INT = BasicSerializer.INT;
    public static final TypeSerializer<Long> LONG = BasicSerializer.LONG;
    public static final TypeSerializer<Float> FLOAT = BasicSerializer.FLOAT;
    public static final TypeSerializer<Double> DOUBLE = BasicSerializer.DOUBLE;
    public static final TypeSerializer<Character> CHAR = BasicSerializer.CHAR;
    /** UTF-8 with a variable-length length prefix; no size limit short of 2 GB. */
    public static final TypeSerializer<String> STRING = BasicSerializer.STRING;

    public static final TypeSerializer<byte[]> BYTE_ARRAY = BasicSerializer.BYTE_ARRAY;
    public static final TypeSerializer<int[]> INT_ARRAY = BasicSerializer.INT_ARRAY;
    public static final TypeSerializer<long[]> LONG_ARRAY = BasicSerializer.LONG_ARRAY;
    public static final TypeSerializer<double[]> DOUBLE_ARRAY = BasicSerializer.DOUBLE_ARRAY;

    /** Serializer of {@link VoidNamespace}: writes nothing. */
    public static final TypeSerializer<VoidNamespace> VOID_NAMESPACE =
            BasicSerializer.register("void-namespace", true, (v, out) -> {}, in -> VoidNamespace.INSTANCE, null);

    /** A list (restored as {@link java.util.ArrayList}) of non-null elements. */
    public static <T> TypeSerializer<List<T>> listOf(TypeSerializer<T> elements) {
        return new ListSerializer<>(elements);
    }

    /** A map (restored as {@link java.util.HashMap}); keys non-null, values nullable. */
    public static <K, V> TypeSerializer<Map<K, V>> mapOf(TypeSerializer<K> keys, TypeSerializer<V> values) {
        return new MapSerializer<>(keys, values);
    }

    /** An {@link Optional}. */
    public static <T> TypeSerializer<Optional<T>> optionalOf(TypeSerializer<T> value) {
        return new OptionalSerializer<>(value);
    }

    /** An object array with nullable elements. */
    public static <T> TypeSerializer<T[]> arrayOf(Class<T> componentType, TypeSerializer<T> elements) {
        return new ArraySerializer<>(componentType, elements);
    }

    /** An enum, by constant; constants may be appended or reordered later, not removed. */
    public static <E extends Enum<E>> TypeSerializer<E> enumOf(Class<E> enumClass) {
        return new EnumSerializer<>(enumClass);
    }

    /**
     * A POJO or record as JSON (Jackson). Fields may be added or removed later: unknown properties are ignored.
     *
     * <p><b>Caveats:</b> slower and larger than hand-written serializers; the class needs what Jackson needs (a
     * record, or a no-argument constructor with accessible properties).
     */
    public static <T> TypeSerializer<T> json(Class<T> type) {
        return new JacksonSerializer<>(type);
    }
}

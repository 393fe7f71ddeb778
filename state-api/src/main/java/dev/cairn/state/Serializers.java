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

    /** Serializer of {@link Boolean}. */
    public static final TypeSerializer<Boolean> BOOLEAN = BasicSerializer.BOOLEAN;
    /** Serializer of {@link Byte}. */
    public static final TypeSerializer<Byte> BYTE = BasicSerializer.BYTE;
    /** Serializer of {@link Short}. */
    public static final TypeSerializer<Short> SHORT = BasicSerializer.SHORT;
    /** Serializer of {@link Integer}. */
    public static final TypeSerializer<Integer> INT = BasicSerializer.INT;
    /** Serializer of {@link Long}. */
    public static final TypeSerializer<Long> LONG = BasicSerializer.LONG;
    /** Serializer of {@link Float}. */
    public static final TypeSerializer<Float> FLOAT = BasicSerializer.FLOAT;
    /** Serializer of {@link Double}. */
    public static final TypeSerializer<Double> DOUBLE = BasicSerializer.DOUBLE;
    /** Serializer of {@link Character}. */
    public static final TypeSerializer<Character> CHAR = BasicSerializer.CHAR;
    /** UTF-8 with a variable-length length prefix; no size limit short of 2 GB. */
    public static final TypeSerializer<String> STRING = BasicSerializer.STRING;

    /** Serializer of {@code byte[]}. */
    public static final TypeSerializer<byte[]> BYTE_ARRAY = BasicSerializer.BYTE_ARRAY;
    /** Serializer of {@code int[]}. */
    public static final TypeSerializer<int[]> INT_ARRAY = BasicSerializer.INT_ARRAY;
    /** Serializer of {@code long[]}. */
    public static final TypeSerializer<long[]> LONG_ARRAY = BasicSerializer.LONG_ARRAY;
    /** Serializer of {@code double[]}. */
    public static final TypeSerializer<double[]> DOUBLE_ARRAY = BasicSerializer.DOUBLE_ARRAY;

    /** Serializer of {@link VoidNamespace}: writes nothing. */
    public static final TypeSerializer<VoidNamespace> VOID_NAMESPACE = BasicSerializer.VOID_NAMESPACE;

    /**
     * {@return a list (restored as {@link java.util.ArrayList}) of non-null elements}
     *
     * @param <T> the element type
     * @param elements the serializer of one element
     */
    public static <T> TypeSerializer<List<T>> listOf(TypeSerializer<T> elements) {
        return new ListSerializer<>(elements);
    }

    /**
     * {@return a map (restored as {@link java.util.HashMap}); keys non-null, values nullable}
     *
     * @param <K> the key type
     * @param <V> the value type
     * @param keys the serializer of the keys
     * @param values the serializer of the values
     */
    public static <K, V> TypeSerializer<Map<K, V>> mapOf(TypeSerializer<K> keys, TypeSerializer<V> values) {
        return new MapSerializer<>(keys, values);
    }

    /**
     * {@return an {@link Optional}}
     *
     * @param <T> the value type
     * @param value the serializer of a present value
     */
    public static <T> TypeSerializer<Optional<T>> optionalOf(TypeSerializer<T> value) {
        return new OptionalSerializer<>(value);
    }

    /**
     * {@return an object array with nullable elements}
     *
     * @param <T> the element type
     * @param componentType the array's component type
     * @param elements the serializer of one element
     */
    public static <T> TypeSerializer<T[]> arrayOf(Class<T> componentType, TypeSerializer<T> elements) {
        return new ArraySerializer<>(componentType, elements);
    }

    /**
     * {@return an enum, by constant; constants may be appended or reordered later, not removed}
     *
     * @param <E> the enum type
     * @param enumClass the enum's class
     */
    public static <E extends Enum<E>> TypeSerializer<E> enumOf(Class<E> enumClass) {
        return new EnumSerializer<>(enumClass);
    }

    /**
     * A POJO or record as JSON (Jackson). Fields may be added or removed later: unknown properties are ignored.
     *
     * <p><b>Caveats:</b> slower and larger than hand-written serializers; the class needs what Jackson needs (a
     * record, or a no-argument constructor with accessible properties).
     *
     * @param <T> the serialized type
     * @param type the record or bean class
     * @return the serializer
     */
    public static <T> TypeSerializer<T> json(Class<T> type) {
        return new JacksonSerializer<>(type);
    }
}

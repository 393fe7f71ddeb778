package dev.cairn.state;

import java.util.Objects;

/**
 * The outcome of checking a new serializer against the snapshot of the serializer that wrote restored data.
 *
 * @param <T> the serialized type
 */
public final class TypeSerializerSchemaCompatibility<T> {

    /** How compatible the two serializers are, from best to worst. */
    public enum Kind {
        /** The new serializer reads the old bytes as they are. */
        COMPATIBLE_AS_IS,
        /** The old bytes must be read with the old serializer and rewritten with the new one. */
        COMPATIBLE_AFTER_MIGRATION,
        /** The old data cannot be turned into the new type. */
        INCOMPATIBLE
    }

    private static final TypeSerializerSchemaCompatibility<?> AS_IS =
            new TypeSerializerSchemaCompatibility<>(Kind.COMPATIBLE_AS_IS, "");
    private static final TypeSerializerSchemaCompatibility<?> AFTER_MIGRATION =
            new TypeSerializerSchemaCompatibility<>(Kind.COMPATIBLE_AFTER_MIGRATION, "");

    private final Kind kind;
    private final String reason;

    private TypeSerializerSchemaCompatibility(Kind kind, String reason) {
        this.kind = kind;
        this.reason = reason;
    }

    /**
     * The new serializer reads the old data as it is.
     *
     * @param <T> the serialized type
     * @return the result
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeSerializerSchemaCompatibility<T> compatibleAsIs() {
        return (TypeSerializerSchemaCompatibility<T>) AS_IS;
    }

    /**
     * The data must be read with the old serializer and written with the new one.
     *
     * @param <T> the serialized type
     * @return the result
     */
    @SuppressWarnings("unchecked")
    public static <T> TypeSerializerSchemaCompatibility<T> compatibleAfterMigration() {
        return (TypeSerializerSchemaCompatibility<T>) AFTER_MIGRATION;
    }

    /**
     * Incompatible, with a human-readable reason that ends up in the {@link StateMigrationException}.
     *
     * @param <T> the serialized type
     * @param reason why, shown to the user
     * @return the result
     */
    public static <T> TypeSerializerSchemaCompatibility<T> incompatible(String reason) {
        return new TypeSerializerSchemaCompatibility<>(Kind.INCOMPATIBLE, Objects.requireNonNull(reason));
    }

    /** {@return the kind of compatibility} */
    public Kind kind() {
        return kind;
    }

    /**
     * Why the serializers are incompatible; empty otherwise.
     *
     * @return why the serializers are incompatible, or an empty string
     */
    public String reason() {
        return reason;
    }

    /** {@return whether the new serializer cannot take over the data} */
    public boolean isIncompatible() {
        return kind == Kind.INCOMPATIBLE;
    }

    /** {@return whether the new serializer reads the old data as it is} */
    public boolean isCompatibleAsIs() {
        return kind == Kind.COMPATIBLE_AS_IS;
    }

    /**
     * {@return the worse of this and {@code other}; used to combine the results of nested serializers}
     *
     * @param other the compatibility of another serializer of the same state
     */
    public TypeSerializerSchemaCompatibility<T> and(TypeSerializerSchemaCompatibility<?> other) {
        @SuppressWarnings("unchecked")
        TypeSerializerSchemaCompatibility<T> o = (TypeSerializerSchemaCompatibility<T>) other;
        return other.kind.ordinal() > kind.ordinal() ? o : this;
    }

    @Override
    public String toString() {
        return reason.isEmpty() ? kind.name() : kind + " (" + reason + ")";
    }
}

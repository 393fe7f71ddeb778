package dev.cairn.state;

/**
 * Describes a {@link ValueState}.
 *
 * @param <T> the value type
 */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>, T> {
    private final T defaultValue;

    /**
     * Describes value state {@code name} without a default value.
     *
     * @param name the state's unique name in its backend
     * @param serializer the serializer of the value
     */
    public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
        this(name, serializer, null);
    }

    /**
     * @param defaultValue returned (as a copy) by {@link ValueState#value()} when no value is set; may be
     *     {@code null}
     * @param name the state's unique name in its backend
     * @param serializer the serializer of the value
     */
    public ValueStateDescriptor(String name, TypeSerializer<T> serializer, T defaultValue) {
        super(name, serializer);
        this.defaultValue = defaultValue;
    }

    /** {@return a fresh copy of the default value, or {@code null}} */
    public T getDefaultValue() {
        return defaultValue == null ? null : getSerializer().copy(defaultValue);
    }

    @Override
    public Type getType() {
        return Type.VALUE;
    }
}

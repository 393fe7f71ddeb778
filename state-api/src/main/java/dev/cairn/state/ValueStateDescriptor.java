package dev.cairn.state;

/**
 * Describes a {@link ValueState}.
 *
 * @param <T> the value type
 */
public final class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>, T> {
    private final T defaultValue;

    public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
        this(name, serializer, null);
    }

    /**
     * @param defaultValue returned (as a copy) by {@link ValueState#value()} when no value is set; may be
     *     {@code null}
     */
    public ValueStateDescriptor(String name, TypeSerializer<T> serializer, T defaultValue) {
        super(name, serializer);
        this.defaultValue = defaultValue;
    }

    /** A fresh copy of the default value, or {@code null}. */
    public T getDefaultValue() {
        return defaultValue == null ? null : getSerializer().copy(defaultValue);
    }

    @Override
    public Type getType() {
        return Type.VALUE;
    }
}

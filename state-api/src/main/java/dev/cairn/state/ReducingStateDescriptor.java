package dev.cairn.state;

import java.util.Objects;

/**
 * Describes a {@link ReducingState}.
 *
 * @param <T> the value type
 */
public final class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>, T> {
    private final ReduceFunction<T> reduceFunction;

    /**
     * Describes reducing state {@code name}.
     *
     * @param name the state's unique name in its backend
     * @param reduceFunction combines the stored value with each added value
     * @param serializer the serializer of the stored value
     */
    public ReducingStateDescriptor(String name, ReduceFunction<T> reduceFunction, TypeSerializer<T> serializer) {
        super(name, serializer);
        this.reduceFunction = Objects.requireNonNull(reduceFunction, "reduceFunction");
    }

    /** {@return the function that combines values} */
    public ReduceFunction<T> getReduceFunction() {
        return reduceFunction;
    }

    @Override
    public Type getType() {
        return Type.REDUCING;
    }
}

package dev.cairn.state;

import java.util.Objects;

/**
 * Names a piece of keyed state and says how to serialize it. A backend creates the state from the descriptor the
 * first time it is asked for it and returns the same state for the same name afterwards.
 *
 * @param <S> the state interface
 * @param <T> the type the backend stores per key and namespace
 */
public abstract class StateDescriptor<S extends State, T> {

    /** The kinds of keyed state a descriptor creates. */
    public enum Type {
        /** {@link ValueState}. */
        VALUE,
        /** {@link ListState}. */
        LIST,
        /** {@link MapState}. */
        MAP,
        /** {@link ReducingState}. */
        REDUCING,
        /** {@link AggregatingState}. */
        AGGREGATING
    }

    private final String name;
    private final TypeSerializer<T> serializer;
    private StateTtlConfig ttlConfig;

    /**
     * Describes state {@code name}.
     *
     * @param name the state's unique name in its backend; not empty
     * @param serializer the serializer of the stored value
     */
    protected StateDescriptor(String name, TypeSerializer<T> serializer) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A state name must be a non-empty string, got '" + name + "'");
        }
        this.name = name;
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** {@return the state's unique name within its backend} */
    public String getName() {
        return name;
    }

    /**
     * Serializer of the stored value (for list and map state: of the whole list or map).
     *
     * @return the serializer of the stored value
     */
    public TypeSerializer<T> getSerializer() {
        return serializer;
    }

    /**
     * Enables time-to-live for this state. Set it before the state is first created.
     *
     * <p><b>Caveats:</b> state checkpointed the other way is converted when it is registered after a restore: values
     * get the registration time as their timestamp, or lose their timestamps.
     *
     * @param config the time-to-live of the state's values
     */
    public void enableTimeToLive(StateTtlConfig config) {
        this.ttlConfig = java.util.Objects.requireNonNull(config, "config");
    }

    /** {@return the TTL configuration, or {@code null} when TTL is disabled} */
    public StateTtlConfig getTtlConfig() {
        return ttlConfig;
    }

    /** {@return what kind of state this describes} */
    public abstract Type getType();

    @Override
    public String toString() {
        return getType() + " state '" + name + "' (" + serializer + ")";
    }
}

package dev.cairn.state.support;

import java.util.function.Function;

/**
 * Whether a restored state's TTL setting differs from its new registration's. Flink 2.x restores state either way:
 * values checkpointed without TTL get the time of the registration as their timestamp, values checkpointed with TTL
 * lose theirs. Backends convert every stored value (list element, map value) with {@link #converter}.
 */
public enum TtlChange {
    /** Same setting: nothing to convert. */
    NONE,
    /** Checkpointed without TTL, registered with: wrap values in {@link TtlValue}s. */
    ENABLED,
    /** Checkpointed with TTL, registered without: unwrap them. */
    DISABLED;

    /**
     * The conversion of one stored value (a list element, a map value, or the value of a value, reducing or
     * aggregating state); {@code now} is the timestamp enabled TTL gives.
     *
     * @param now the timestamp new TTL values get
     * @return the function that converts one stored value
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Function<Object, Object> converter(long now) {
        return switch (this) {
            case NONE -> Function.identity();
            case ENABLED -> value -> new TtlValue<>(value, now);
            case DISABLED -> value -> ((TtlValue) value).userValue();
        };
    }
}

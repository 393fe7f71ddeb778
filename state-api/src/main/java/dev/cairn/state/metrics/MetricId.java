package dev.cairn.state.metrics;

import java.util.Map;
import java.util.Objects;

/**
 * What identifies a metric: its name and tags, with the description and base unit a reporter shows.
 *
 * @param name the dotted name, such as {@code cairn.numberOfCompletedCheckpoints}
 * @param tags the tags in the order they were added (for example {@code pipeline.name}, {@code operator.id})
 * @param kind the kind of meter
 * @param description what it measures
 * @param baseUnit the unit of its values ({@code bytes}, {@code milliseconds}, …), or {@code null}
 */
public record MetricId(String name, Map<String, String> tags, Kind kind, String description, String baseUnit) {
    /** The kinds of meter. */
    public enum Kind {
        /** A {@link Counter}. */
        COUNTER,
        /** A value read when asked. */
        GAUGE,
        /** A {@link Timer}. */
        TIMER,
        /** A {@link Distribution}. */
        DISTRIBUTION
    }

    /**
     * Checks the fields and copies the tags.
     *
     * @param name the dotted name
     * @param tags the tags
     * @param kind the kind of meter
     * @param description what it measures
     * @param baseUnit the unit, or {@code null}
     */
    public MetricId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** {@return the name and tags, as a log line shows them} */
    @Override
    public String toString() {
        return name + tags;
    }
}

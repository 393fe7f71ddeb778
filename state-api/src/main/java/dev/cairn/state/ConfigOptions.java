package dev.cairn.state;

import java.time.Duration;
import java.util.List;

/**
 * Builds {@link ConfigOption}s: {@code ConfigOptions.key("state.backend.type").stringType().defaultValue("hashmap")}.
 */
public final class ConfigOptions {
    private ConfigOptions() {}

    /** Starts an option with the given key. */
    public static OptionBuilder key(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("A configuration key must be non-empty");
        }
        return new OptionBuilder(key);
    }

    /** Chooses the option's type. */
    public static final class OptionBuilder {
        private final String key;

        private OptionBuilder(String key) {
            this.key = key;
        }

        public TypedOptionBuilder<Boolean> booleanType() {
            return new TypedOptionBuilder<>(key, Boolean.class);
        }

        public TypedOptionBuilder<Integer> intType() {
            return new TypedOptionBuilder<>(key, Integer.class);
        }

        public TypedOptionBuilder<Long> longType() {
            return new TypedOptionBuilder<>(key, Long.class);
        }

        public TypedOptionBuilder<Double> doubleType() {
            return new TypedOptionBuilder<>(key, Double.class);
        }

        public TypedOptionBuilder<String> stringType() {
            return new TypedOptionBuilder<>(key, String.class);
        }

        public TypedOptionBuilder<Duration> durationType() {
            return new TypedOptionBuilder<>(key, Duration.class);
        }

        public TypedOptionBuilder<MemorySize> memoryType() {
            return new TypedOptionBuilder<>(key, MemorySize.class);
        }

        public <E extends Enum<E>> TypedOptionBuilder<E> enumType(Class<E> enumClass) {
            return new TypedOptionBuilder<>(key, enumClass);
        }
    }

    /** Sets the option's default (or none). */
    public static final class TypedOptionBuilder<T> {
        private final String key;
        private final Class<T> type;

        private TypedOptionBuilder(String key, Class<T> type) {
            this.key = key;
            this.type = type;
        }

        public ConfigOption<T> defaultValue(T value) {
            return new ConfigOption<>(key, type, value, List.of(), "");
        }

        public ConfigOption<T> noDefaultValue() {
            return new ConfigOption<>(key, type, null, List.of(), "");
        }
    }
}

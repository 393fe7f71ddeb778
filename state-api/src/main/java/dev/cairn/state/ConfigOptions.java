package dev.cairn.state;

import java.time.Duration;
import java.util.List;

/**
 * Builds {@link ConfigOption}s: {@code ConfigOptions.key("state.backend.type").stringType().defaultValue("hashmap")}.
 */
public final class ConfigOptions {
    private ConfigOptions() {}

    /**
     * Starts an option with the given key.
     *
     * @param key the option's key
     * @return a builder that asks for the value type next
     */
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

        /** {@return a builder of an option of type {@code boolean}} */
        public TypedOptionBuilder<Boolean> booleanType() {
            return new TypedOptionBuilder<>(key, Boolean.class);
        }

        /** {@return a builder of an option of type {@code int}} */
        public TypedOptionBuilder<Integer> intType() {
            return new TypedOptionBuilder<>(key, Integer.class);
        }

        /** {@return a builder of an option of type {@code long}} */
        public TypedOptionBuilder<Long> longType() {
            return new TypedOptionBuilder<>(key, Long.class);
        }

        /** {@return a builder of an option of type {@code double}} */
        public TypedOptionBuilder<Double> doubleType() {
            return new TypedOptionBuilder<>(key, Double.class);
        }

        /** {@return a builder of an option of type {@link String}} */
        public TypedOptionBuilder<String> stringType() {
            return new TypedOptionBuilder<>(key, String.class);
        }

        /** {@return a builder of an option of type {@link Duration} (values like {@code 10 s} or {@code 5min})} */
        public TypedOptionBuilder<Duration> durationType() {
            return new TypedOptionBuilder<>(key, Duration.class);
        }

        /** {@return a builder of an option of type {@link MemorySize} (values like {@code 64mb})} */
        public TypedOptionBuilder<MemorySize> memoryType() {
            return new TypedOptionBuilder<>(key, MemorySize.class);
        }

        /**
         * A builder of an option whose values are the constants of {@code enumClass}.
         *
         * @param <E> the enum type
         * @param enumClass the enum's class
         * @return the builder
         */
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

        /**
         * An option with a default value.
         *
         * @param value the default value
         * @return the option
         */
        public ConfigOption<T> defaultValue(T value) {
            return new ConfigOption<>(key, type, value, List.of(), "");
        }

        /** {@return an option without a default value} */
        public ConfigOption<T> noDefaultValue() {
            return new ConfigOption<>(key, type, null, List.of(), "");
        }
    }
}

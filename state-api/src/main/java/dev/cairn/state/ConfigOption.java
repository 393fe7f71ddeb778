package dev.cairn.state;

import java.util.List;
import java.util.Objects;

/**
 * A typed configuration key: its name, value type, default, deprecated fallback keys and description. Options
 * are constants defined by the module that owns them ({@code StateBackendOptions}, ...). Built with
 * {@link ConfigOptions#key(String)}.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {
    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final List<String> deprecatedKeys;
    private final String description;

    ConfigOption(String key, Class<T> type, T defaultValue, List<String> deprecatedKeys, String description) {
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.deprecatedKeys = List.copyOf(deprecatedKeys);
        this.description = description;
    }

    /** {@return the option's key, e.g. {@code state.backend.type}} */
    public String key() {
        return key;
    }

    /** {@return the value type: Boolean, Integer, Long, Double, String, Duration, MemorySize or an enum} */
    public Class<T> type() {
        return type;
    }

    /** {@return the default, or {@code null} when the option has none} */
    public T defaultValue() {
        return defaultValue;
    }

    /** {@return whether the option has a default value} */
    public boolean hasDefaultValue() {
        return defaultValue != null;
    }

    /**
     * Older keys still read when {@link #key()} is absent (a deprecation warning is logged).
     *
     * @return the keys that are read when {@link #key()} is absent, most preferred first
     */
    public List<String> deprecatedKeys() {
        return deprecatedKeys;
    }

    /** {@return the option's description, as documented in the configuration reference} */
    public String description() {
        return description;
    }

    /**
     * A copy with the given deprecated fallback keys.
     *
     * @param keys keys that are read when the current key is absent, most preferred first
     * @return a copy of this option with the deprecated keys
     */
    public ConfigOption<T> withDeprecatedKeys(String... keys) {
        return new ConfigOption<>(key, type, defaultValue, List.of(keys), description);
    }

    /**
     * A copy with the given description.
     *
     * @param newDescription the text the configuration reference shows
     * @return a copy of this option with the description
     */
    public ConfigOption<T> withDescription(String newDescription) {
        return new ConfigOption<>(key, type, defaultValue, deprecatedKeys, newDescription);
    }

    @Override
    public String toString() {
        return "ConfigOption(" + key + ", default " + defaultValue + ")";
    }
}

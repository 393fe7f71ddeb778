package dev.cairn.state;

import dev.cairn.state.internal.DurationParser;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mutable key/value configuration. Values are stored as given (typed via {@link #set}, or strings via
 * {@link #setString} when read from a file) and converted to the option's type on read, with an
 * {@link IllegalConfigurationException} that names the key, the value and what the option accepts.
 */
public final class Configuration implements ReadableConfig {
    private static final Logger LOG = LoggerFactory.getLogger(Configuration.class);
    private static final Set<String> WARNED_DEPRECATED_KEYS = ConcurrentHashMap.newKeySet();

    private final Map<String, Object> values = new TreeMap<>();

    /** An empty configuration. */
    public Configuration() {}

    /**
     * A copy of {@code other}.
     *
     * @param other the configuration to copy
     */
    public Configuration(Configuration other) {
        values.putAll(other.values);
    }

    /**
     * {@return a configuration holding the given string values}
     *
     * @param map keys and values as strings, as in a YAML file
     */
    public static Configuration fromMap(Map<String, String> map) {
        Configuration configuration = new Configuration();
        map.forEach(configuration::setString);
        return configuration;
    }

    /**
     * Sets a typed value; {@code null} removes the key.
     *
     * @param <T> the option's value type
     * @param option the option to set
     * @param value its value
     * @return this configuration
     */
    public <T> Configuration set(ConfigOption<T> option, T value) {
        if (value == null) {
            values.remove(option.key());
        } else {
            values.put(option.key(), value);
        }
        return this;
    }

    /**
     * Sets a raw string value, parsed when read.
     *
     * @param key the option's key
     * @param value the value as a string, parsed when read
     * @return this configuration
     */
    public Configuration setString(String key, String value) {
        values.put(key, value);
        return this;
    }

    /**
     * Removes a key (not its deprecated keys).
     *
     * @param option the option to remove (under its key and its deprecated keys)
     * @return this configuration
     */
    public Configuration remove(ConfigOption<?> option) {
        values.remove(option.key());
        return this;
    }

    /**
     * Copies every entry of {@code other} into this configuration, overriding equal keys.
     *
     * @param other the configuration whose entries to copy
     * @return this configuration
     */
    public Configuration addAll(Configuration other) {
        values.putAll(other.values);
        return this;
    }

    /**
     * Whether {@code key} is set.
     *
     * @param key an option's key
     * @return whether the configuration has a value for it
     */
    public boolean containsKey(String key) {
        return values.containsKey(key);
    }

    /** {@return the keys set, sorted} */
    public Set<String> keySet() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** {@return the values as strings, sorted by key} */
    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        values.forEach((k, v) -> map.put(k, stringify(v)));
        return map;
    }

    @Override
    public <T> T get(ConfigOption<T> option) {
        return getOptional(option).orElse(option.defaultValue());
    }

    @Override
    public <T> Optional<T> getOptional(ConfigOption<T> option) {
        if (values.containsKey(option.key())) {
            return Optional.of(convert(option.key(), values.get(option.key()), option.type()));
        }
        for (String deprecated : option.deprecatedKeys()) {
            if (values.containsKey(deprecated)) {
                if (WARNED_DEPRECATED_KEYS.add(deprecated)) {
                    LOG.warn("Configuration key '{}' is deprecated; use '{}' instead", deprecated, option.key());
                }
                return Optional.of(convert(deprecated, values.get(deprecated), option.type()));
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> T convert(String key, Object raw, Class<T> type) {
        if (type.isInstance(raw)) {
            return (T) raw;
        }
        String text = String.valueOf(raw).trim();
        try {
            if (type == String.class) {
                return (T) text;
            } else if (type == Boolean.class) {
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return (T) Boolean.valueOf(text.toLowerCase(Locale.ROOT));
                }
                throw IllegalConfigurationException.invalidValue(key, raw, "'true' or 'false'");
            } else if (type == Integer.class) {
                return (T) Integer.valueOf(text);
            } else if (type == Long.class) {
                return (T) Long.valueOf(text);
            } else if (type == Double.class) {
                return (T) Double.valueOf(text);
            } else if (type == Duration.class) {
                return (T) DurationParser.parse(text);
            } else if (type == MemorySize.class) {
                try {
                    return (T) MemorySize.parse(text);
                } catch (IllegalArgumentException e) {
                    // The parser's message is a sentence naming the text: "'x' is not ..." / "... is too large".
                    throw new IllegalConfigurationException(
                            "Invalid value for configuration key '" + key + "': " + e.getMessage(), e);
                }
            } else if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum) constant).name().equalsIgnoreCase(text)) {
                        return (T) constant;
                    }
                }
                throw IllegalConfigurationException.invalidValue(
                        key, raw, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        } catch (NumberFormatException e) {
            throw IllegalConfigurationException.invalidValue(key, raw, "a value of type " + type.getSimpleName());
        } catch (IllegalArgumentException e) {
            throw IllegalConfigurationException.invalidValue(
                    key, raw, type == Duration.class ? DurationParser.ALLOWED : e.getMessage());
        }
        throw IllegalConfigurationException.invalidValue(key, raw, "a value of type " + type.getSimpleName());
    }

    private static String stringify(Object value) {
        if (value instanceof Duration) {
            return DurationParser.format((Duration) value);
        }
        return String.valueOf(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Configuration && toMap().equals(((Configuration) o).toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}

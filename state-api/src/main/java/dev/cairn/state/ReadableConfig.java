package dev.cairn.state;

import java.util.Optional;

/** Read access to a configuration. */
public interface ReadableConfig {
    /**
     * The option's value: the key's value, else the first deprecated key's value, else the default.
     *
     * @throws IllegalConfigurationException when the value cannot be parsed as the option's type
     * @param <T> the option's value type
     * @param option the option
     * @return its value
     */
    <T> T get(ConfigOption<T> option);

    /**
     * {@return the option's value if the key or a deprecated key is set; the default is not consulted}
     *
     * @param <T> the option's value type
     * @param option the option
     */
    <T> Optional<T> getOptional(ConfigOption<T> option);
}

package dev.cairn.state.spi;

import dev.cairn.state.ReadableConfig;

/**
 * Creates a {@link StateBackend} from configuration. Implementations are found by name through
 * {@link java.util.ServiceLoader} (register in {@code META-INF/services/dev.cairn.state.spi.StateBackendFactory})
 * or named by their class name in {@code state.backend.type}; they need a public no-argument constructor.
 *
 * @param <B> the backend type
 */
public interface StateBackendFactory<B extends StateBackend> {
    /**
     * The name {@code state.backend.type} uses for this backend.
     *
     * @return the name, such as {@code hashmap}
     */
    String name();

    /**
     * Creates a backend configured from {@code config}.
     *
     * @param config the configuration
     * @param classLoader loads user classes the configuration names (e.g. options factories)
     * @return the backend
     * @throws dev.cairn.state.IllegalConfigurationException when an option has an invalid value
     */
    B createFromConfig(ReadableConfig config, ClassLoader classLoader);
}

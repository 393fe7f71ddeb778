package dev.cairn.config;

import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.StateBackendOptions;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateBackendFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the state backend named by {@code state.backend.type} (or the deprecated {@code state.backend}):
 * a {@link StateBackendFactory} found by name through {@link ServiceLoader} ({@code hashmap}, {@code rocksdb}
 * when on the classpath), or the fully qualified class name of a factory. The legacy names {@code jobmanager}
 * and {@code filesystem} mean {@code hashmap} (with that checkpoint storage, see
 * {@link CheckpointStorageLoader}) and log a deprecation warning.
 */
public final class StateBackendLoader {
    private static final Logger LOG = LoggerFactory.getLogger(StateBackendLoader.class);

    /** Legacy backend names that Flink's migration guide maps to {@code hashmap} plus a checkpoint storage. */
    static final List<String> LEGACY_HEAP_NAMES = List.of("jobmanager", "filesystem");

    private StateBackendLoader() {}

    /**
     * Creates the state backend {@code state.backend.type} names (a short name or a factory class).
     *
     * @throws IllegalConfigurationException naming the key, the value and the allowed values when the backend
     *     cannot be found or created
     * @param config the configuration
     * @param classLoader loads factories named by class
     * @return the backend, configured
     */
    public static StateBackend load(ReadableConfig config, ClassLoader classLoader) {
        String name = config.get(StateBackendOptions.STATE_BACKEND).trim();
        String key = StateBackendOptions.STATE_BACKEND.key();
        if (LEGACY_HEAP_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            LOG.warn(
                    "State backend '{}' is deprecated: it means 'hashmap' with '{}' checkpoint storage; set"
                            + " state.backend.type: hashmap and execution.checkpointing.storage: {}",
                    name,
                    name,
                    name);
            name = "hashmap";
        }
        List<String> available = new ArrayList<>();
        for (StateBackendFactory<?> factory : ServiceLoader.load(StateBackendFactory.class, classLoader)) {
            if (factory.name().equalsIgnoreCase(name)) {
                return factory.createFromConfig(config, classLoader);
            }
            available.add(factory.name());
        }
        if (!name.contains(".")) {
            throw IllegalConfigurationException.invalidValue(
                    key,
                    name,
                    "one of " + available + " or the class name of a StateBackendFactory"
                            + (name.equalsIgnoreCase("rocksdb")
                                    ? " (rocksdb needs cairn-state-rocksdb on the classpath)"
                                    : ""));
        }
        return instantiate(name, key, classLoader).createFromConfig(config, classLoader);
    }

    private static StateBackendFactory<?> instantiate(String className, String key, ClassLoader classLoader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, classLoader);
        } catch (ClassNotFoundException e) {
            throw IllegalConfigurationException.invalidValue(
                    key, className, "a StateBackendFactory class on the classpath (class not found)");
        }
        if (!StateBackendFactory.class.isAssignableFrom(type)) {
            throw IllegalConfigurationException.invalidValue(
                    key, className, "a class implementing " + StateBackendFactory.class.getName());
        }
        try {
            return (StateBackendFactory<?>) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalConfigurationException(
                    "Cannot instantiate state backend factory " + className + " named by '" + key
                            + "': it needs a public no-argument constructor",
                    e);
        }
    }
}

package dev.cairn.config;

import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CheckpointStorageFactory;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.StateBackendOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Creates the checkpoint storage named by {@code execution.checkpointing.storage}. Without it: the storage a
 * legacy backend name implies ({@code state.backend: jobmanager|filesystem}), else {@code filesystem} when
 * {@code execution.checkpointing.dir} is set, else {@code jobmanager}.
 */
public final class CheckpointStorageLoader {
    private CheckpointStorageLoader() {}

    /**
     * {@return the storage name the configuration selects (before lookup)}
     *
     * @param config the configuration
     */
    public static String selectedName(ReadableConfig config) {
        return config.getOptional(CheckpointingOptions.CHECKPOINT_STORAGE)
                .map(String::trim)
                .orElseGet(() -> {
                    String backend =
                            config.get(StateBackendOptions.STATE_BACKEND).trim().toLowerCase(Locale.ROOT);
                    if (StateBackendLoader.LEGACY_HEAP_NAMES.contains(backend)) {
                        return backend;
                    }
                    return config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                                    .isPresent()
                            ? "filesystem"
                            : "jobmanager";
                });
    }

    /**
     * Creates the checkpoint storage the configuration selects.
     *
     * @throws IllegalConfigurationException naming the key, the value and the allowed values
     * @param config the configuration
     * @param classLoader loads factories named by class
     * @return the storage
     */
    public static CheckpointStorage load(ReadableConfig config, ClassLoader classLoader) {
        String name = selectedName(config);
        String key = CheckpointingOptions.CHECKPOINT_STORAGE.key();
        List<String> available = new ArrayList<>();
        for (CheckpointStorageFactory<?> factory : ServiceLoader.load(CheckpointStorageFactory.class, classLoader)) {
            if (factory.name().equalsIgnoreCase(name)) {
                return factory.createFromConfig(config, classLoader);
            }
            available.add(factory.name());
        }
        if (!name.contains(".")) {
            throw IllegalConfigurationException.invalidValue(
                    key, name, "one of " + available + " or the class name of a CheckpointStorageFactory");
        }
        try {
            Class<?> type = Class.forName(name, true, classLoader);
            if (!CheckpointStorageFactory.class.isAssignableFrom(type)) {
                throw IllegalConfigurationException.invalidValue(
                        key, name, "a class implementing " + CheckpointStorageFactory.class.getName());
            }
            return ((CheckpointStorageFactory<?>) type.getDeclaredConstructor().newInstance())
                    .createFromConfig(config, classLoader);
        } catch (ClassNotFoundException e) {
            throw IllegalConfigurationException.invalidValue(
                    key, name, "a CheckpointStorageFactory class on the classpath (class not found)");
        } catch (ReflectiveOperationException e) {
            throw new IllegalConfigurationException(
                    "Cannot instantiate checkpoint storage factory " + name + " named by '" + key
                            + "': it needs a public no-argument constructor",
                    e);
        }
    }
}

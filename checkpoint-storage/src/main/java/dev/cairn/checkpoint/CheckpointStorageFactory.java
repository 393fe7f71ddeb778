package dev.cairn.checkpoint;

import dev.cairn.state.ReadableConfig;

/**
 * Creates a {@link CheckpointStorage} from configuration; found by {@link #name()} through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.cairn.checkpoint.CheckpointStorageFactory}) or
 * named by class in {@code execution.checkpointing.storage}.
 *
 * @param <S> the storage type
 */
public interface CheckpointStorageFactory<S extends CheckpointStorage> {
    /** {@return the name {@code execution.checkpointing.storage} uses, such as {@code filesystem}} */
    String name();

    /**
     * @throws dev.cairn.state.IllegalConfigurationException when a required option is missing or invalid
     * @param config the configuration
     * @param classLoader loads classes the configuration names
     * @return the storage
     */
    S createFromConfig(ReadableConfig config, ClassLoader classLoader);
}

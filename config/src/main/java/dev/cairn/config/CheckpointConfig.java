package dev.cairn.config;

import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import java.time.Duration;
import java.util.Objects;

/**
 * Checkpointing settings of a {@link StateEnvironment}; programmatic settings here override the configuration.
 * Frozen once the environment creates its first backend.
 */
public final class CheckpointConfig {
    private final StateEnvironment environment;
    private CheckpointStorage storage;

    CheckpointConfig(StateEnvironment environment) {
        this.environment = environment;
    }

    private Configuration overrides() {
        environment.checkNotStarted();
        return environment.programmaticConfiguration();
    }

    /**
     * Checkpoints go to this directory ({@code file:///…} URI or local path): a {@link FileSystemCheckpointStorage}.
     *
     * @param checkpointDirectory the directory's URI or local path
     * @return this configuration
     */
    public CheckpointConfig setCheckpointStorage(String checkpointDirectory) {
        Objects.requireNonNull(checkpointDirectory, "checkpointDirectory");
        overrides().setString(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), checkpointDirectory);
        overrides().setString(CheckpointingOptions.CHECKPOINT_STORAGE.key(), "filesystem");
        storage = null;
        return this;
    }

    /**
     * Uses this storage object (its own settings win over the configuration's storage options).
     *
     * @param checkpointStorage the storage
     * @return this configuration
     */
    public CheckpointConfig setCheckpointStorage(CheckpointStorage checkpointStorage) {
        overrides();
        this.storage = Objects.requireNonNull(checkpointStorage, "checkpointStorage");
        return this;
    }

    /** The programmatically set storage, or {@code null} to load it from the configuration. */
    CheckpointStorage getCheckpointStorage() {
        return storage;
    }

    /**
     * Time between periodic checkpoints ({@code execution.checkpointing.interval}); must be positive.
     *
     * @param interval time between checkpoints; positive
     * @return this configuration
     */
    public CheckpointConfig setCheckpointInterval(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw IllegalConfigurationException.invalidValue(
                    ExecutionOptions.CHECKPOINTING_INTERVAL.key(), interval, "a positive duration");
        }
        overrides().set(ExecutionOptions.CHECKPOINTING_INTERVAL, interval);
        return this;
    }

    /**
     * Sets {@code execution.checkpointing.num-retained}.
     *
     * @param retained completed checkpoints kept; at least 1
     * @return this configuration
     */
    public CheckpointConfig setNumRetainedCheckpoints(int retained) {
        overrides().set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, retained);
        return this;
    }

    /**
     * Sets {@code execution.checkpointing.max-concurrent-checkpoints}.
     *
     * @param concurrent checkpoints running at once; at least 1
     * @return this configuration
     */
    public CheckpointConfig setMaxConcurrentCheckpoints(int concurrent) {
        overrides().set(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS, concurrent);
        return this;
    }

    /**
     * Sets {@code execution.checkpointing.savepoint-dir}.
     *
     * @param directory where savepoints go when no target directory is given
     * @return this configuration
     */
    public CheckpointConfig setSavepointDirectory(String directory) {
        overrides().setString(CheckpointingOptions.SAVEPOINT_DIRECTORY.key(), directory);
        return this;
    }
}

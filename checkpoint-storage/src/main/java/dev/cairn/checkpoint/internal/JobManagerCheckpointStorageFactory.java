package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointStorageFactory;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.JobManagerCheckpointStorage;
import dev.cairn.state.ReadableConfig;

/** {@code execution.checkpointing.storage: jobmanager}. */
public final class JobManagerCheckpointStorageFactory implements CheckpointStorageFactory<JobManagerCheckpointStorage> {
    @Override
    public String name() {
        return "jobmanager";
    }

    @Override
    public JobManagerCheckpointStorage createFromConfig(ReadableConfig config, ClassLoader classLoader) {
        return new JobManagerCheckpointStorage(
                JobManagerCheckpointStorage.DEFAULT_MAX_STATE_SIZE,
                config.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY).orElse(null));
    }
}

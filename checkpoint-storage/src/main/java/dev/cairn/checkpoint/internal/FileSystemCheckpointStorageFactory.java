package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointStorageFactory;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import dev.cairn.state.ReadableConfig;

/** {@code execution.checkpointing.storage: filesystem}; needs {@code execution.checkpointing.dir}. */
public final class FileSystemCheckpointStorageFactory implements CheckpointStorageFactory<FileSystemCheckpointStorage> {
    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public FileSystemCheckpointStorage createFromConfig(ReadableConfig config, ClassLoader classLoader) {
        String directory = config.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .orElseThrow(() -> new IllegalConfigurationException("The filesystem checkpoint storage needs '"
                        + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + "' (a directory URI such as"
                        + " file:///var/lib/app/checkpoints)"));
        MemorySize threshold = config.get(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD);
        if (threshold.compareTo(CheckpointingOptions.MAX_INLINE_THRESHOLD) > 0) {
            throw IllegalConfigurationException.invalidValue(
                    CheckpointingOptions.FS_SMALL_FILE_THRESHOLD.key(),
                    threshold,
                    "a size from 0 to " + CheckpointingOptions.MAX_INLINE_THRESHOLD);
        }
        return new FileSystemCheckpointStorage(
                new FileSystemRegistry(config),
                directory,
                config.getOptional(CheckpointingOptions.SAVEPOINT_DIRECTORY).orElse(null),
                (int) threshold.getBytes(),
                config.get(CheckpointingOptions.FS_WRITE_BUFFER_SIZE),
                config.get(CheckpointingOptions.CREATE_CHECKPOINT_SUB_DIR));
    }
}

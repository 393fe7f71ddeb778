package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A checkpoint or savepoint whose metadata was durably written. Immutable. */
public final class CompletedCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CompletedCheckpoint.class);

    private final CheckpointMetadata metadata;
    private final FileSystem fileSystem;
    private final StoragePath directory;
    private final String pointer;
    private final Runnable onDiscard;

    /**
     * A checkpoint stored in a directory of {@code fileSystem}, or held in memory.
     *
     * @param metadata what it holds
     * @param fileSystem the file system of {@code directory}, or {@code null} when held in memory
     * @param directory where its files and {@code _metadata} are, or {@code null} when held in memory
     * @param pointer how to refer to it (the directory, or an in-memory name)
     */
    public CompletedCheckpoint(
            CheckpointMetadata metadata, FileSystem fileSystem, StoragePath directory, String pointer) {
        this(metadata, fileSystem, directory, pointer, () -> {});
    }

    CompletedCheckpoint(
            CheckpointMetadata metadata,
            FileSystem fileSystem,
            StoragePath directory,
            String pointer,
            Runnable onDiscard) {
        if ((fileSystem == null) != (directory == null)) {
            throw new IllegalArgumentException("A checkpoint directory needs its file system, and only it");
        }
        this.metadata = metadata;
        this.fileSystem = fileSystem;
        this.directory = directory;
        this.pointer = pointer;
        this.onDiscard = onDiscard;
    }

    /** {@return what {@code _metadata} records} */
    public CheckpointMetadata getMetadata() {
        return metadata;
    }

    /** {@return the checkpoint's id} */
    public long getCheckpointId() {
        return metadata.checkpointId();
    }

    /** {@return when it was triggered, in epoch milliseconds} */
    public long getTimestamp() {
        return metadata.timestamp();
    }

    /** {@return whether it is a savepoint} */
    public boolean isSavepoint() {
        return metadata.type() == dev.cairn.state.spi.SnapshotOptions.SnapshotType.SAVEPOINT;
    }

    /** {@return the directory holding {@code _metadata}, if stored in a file system} */
    public Optional<StoragePath> getDirectory() {
        return Optional.ofNullable(directory);
    }

    /** {@return what to pass to {@link CheckpointStorage#resolve} (or {@code execution.state-recovery.path})} */
    public String getPointer() {
        return pointer;
    }

    /**
     * {@return the keyed-state handles of every instance of {@code operatorId}; empty if it had no state}
     *
     * @param operatorId the operator's stable identifier
     */
    public List<KeyedStateHandle> getKeyedState(String operatorId) {
        OperatorSnapshot operator = metadata.operator(operatorId);
        return operator == null ? List.of() : operator.keyedState();
    }

    /**
     * {@return the operator-state handles of every instance of {@code operatorId}, in instance order}
     *
     * @param operatorId the operator's stable identifier
     */
    public List<OperatorStateHandle> getOperatorState(String operatorId) {
        OperatorSnapshot operator = metadata.operator(operatorId);
        return operator == null ? List.of() : operator.operatorState();
    }

    /** {@return all streams the checkpoint references} */
    public List<StreamStateHandle> streams() {
        List<StreamStateHandle> streams = new ArrayList<>();
        for (OperatorSnapshot operator : metadata.operators()) {
            for (KeyedStateHandle handle : operator.keyedState()) {
                streams.addAll(handle.getStreams());
            }
            for (OperatorStateHandle handle : operator.operatorState()) {
                streams.add(handle.getStream());
            }
        }
        return streams;
    }

    /** {@return the files the checkpoint references} */
    public List<FileStateHandle> files() {
        List<FileStateHandle> files = new ArrayList<>();
        for (StreamStateHandle stream : streams()) {
            if (stream instanceof FileStateHandle file) {
                files.add(file);
            }
        }
        return files;
    }

    /** {@return the total size of all referenced state, inline and in files} */
    public long getStateSize() {
        long size = 0;
        for (StreamStateHandle stream : streams()) {
            size += stream.getStateSize();
        }
        return size;
    }

    /**
     * The bytes this checkpoint added to storage: like {@link #getStateSize()}, except that files an incremental
     * checkpoint reuses from earlier checkpoints are not counted (the "checkpointed data size" of Flink's UI).
     *
     * @return the bytes this checkpoint uploaded itself
     */
    public long getCheckpointedSize() {
        long size = 0;
        for (OperatorSnapshot operator : metadata.operators()) {
            for (KeyedStateHandle handle : operator.keyedState()) {
                size += handle.getCheckpointedSize();
            }
            for (OperatorStateHandle handle : operator.operatorState()) {
                size += handle.getStream().getStateSize();
            }
        }
        return size;
    }

    /**
     * Checks every referenced file's existence, length and CRC32C before a restore trusts it.
     *
     * @throws dev.cairn.state.CorruptCheckpointException naming the first bad file
     * @throws IOException when a file cannot be read
     */
    public void verify() throws IOException {
        for (FileStateHandle file : files()) {
            file.verify();
        }
    }

    /**
     * Deletes the checkpoint's exclusive files and its directory (shared files are the shared-state registry's
     * business). Best effort: failures are logged.
     */
    void discardExclusiveState() {
        try {
            // Every file by its handle (batched on object stores), not only through the directory: with key
            // entropy an object store keeps data files outside the directory's prefix.
            List<FileStateHandle> exclusive = new ArrayList<>();
            for (FileStateHandle file : files()) {
                if (file.getScope() == StateScope.EXCLUSIVE) {
                    exclusive.add(file);
                }
            }
            FileStateHandle.discardAll(exclusive);
            if (directory != null) {
                fileSystem.delete(directory, true);
            }
            onDiscard.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete all files of checkpoint {} at {}", getCheckpointId(), pointer, e);
        }
    }

    @Override
    public String toString() {
        return (isSavepoint() ? "Savepoint " : "Checkpoint ") + getCheckpointId() + " at " + pointer;
    }
}

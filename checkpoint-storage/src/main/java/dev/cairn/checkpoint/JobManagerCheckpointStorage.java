package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.internal.FsCheckpointLocation;
import dev.cairn.checkpoint.internal.ReportingOutputStream;
import dev.cairn.checkpoint.internal.SavepointLocations;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps checkpoints in memory, bounded by a maximum size per state stream (default 5 MB, as Flink). For tests and
 * small state: checkpoints do not survive the process. Savepoints still go to a directory (the configured
 * savepoint directory or an explicit target).
 */
public final class JobManagerCheckpointStorage implements CheckpointStorage {
    /** Flink's default maximum state size of the jobmanager storage. */
    public static final int DEFAULT_MAX_STATE_SIZE = 5 * 1024 * 1024;

    private final int maxStateSize;
    private final String savepointDirectory;
    /** For savepoints, which go to files, and for resolving file pointers; closed by {@link #close()}. */
    private final FileSystemRegistry fileSystems = FileSystemRegistry.withDefaults();
    /** Where metadata read from files (savepoints, file checkpoints) may name changelog files. */
    private final List<StoragePath> changelogDirectories = new CopyOnWriteArrayList<>();

    private final Map<String, CompletedCheckpoint> byPointer = new ConcurrentHashMap<>();

    /** In-memory checkpoints of at most 5 MB of state per stream, no savepoint directory. */
    public JobManagerCheckpointStorage() {
        this(DEFAULT_MAX_STATE_SIZE);
    }

    /** @param maxStateSize the largest state stream in bytes; a larger snapshot fails with a clear error */
    public JobManagerCheckpointStorage(int maxStateSize) {
        this(maxStateSize, null);
    }

    /**
     * In-memory checkpoints with a savepoint directory.
     *
     * @param maxStateSize the largest state stream in bytes
     * @param savepointDirectory where savepoints go when no target is given; may be {@code null}
     */
    public JobManagerCheckpointStorage(int maxStateSize, String savepointDirectory) {
        if (maxStateSize <= 0) {
            throw new IllegalConfigurationException(
                    "The maximum state size of the jobmanager storage must be positive, got " + maxStateSize);
        }
        this.maxStateSize = maxStateSize;
        this.savepointDirectory = savepointDirectory;
    }

    @Override
    public void acceptChangelogDirectory(StoragePath directory) {
        if (!changelogDirectories.contains(directory)) {
            changelogDirectories.add(directory);
        }
    }

    /** Closes the file systems of savepoints; in-memory checkpoints are gone with the process anyway. */
    @Override
    public void close() {
        fileSystems.close();
    }

    /** {@return the largest state stream in bytes} */
    public int getMaxStateSize() {
        return maxStateSize;
    }

    @Override
    public CheckpointStorageAccess createAccess(String jobId) {
        return new Access(jobId);
    }

    @Override
    public CompletedCheckpoint resolve(String pointer) throws IOException {
        CompletedCheckpoint inMemory = byPointer.get(pointer);
        if (inMemory != null) {
            return inMemory;
        }
        if (pointer.startsWith("jobmanager://")) {
            throw new IOException("Checkpoint " + pointer + " is not held by this jobmanager storage (in-memory"
                    + " checkpoints do not survive the process)");
        }
        return FsCheckpointLocation.resolve(fileSystems, pointer, changelogDirectories);
    }

    private final class Access implements CheckpointStorageAccess {
        private final String jobId;
        private final List<CompletedCheckpoint> completed = new CopyOnWriteArrayList<>();
        private volatile long highestId;

        Access(String jobId) {
            this.jobId = jobId;
        }

        @Override
        public CheckpointStorageLocation initializeCheckpoint(long checkpointId, StreamWriteListener listener) {
            highestId = Math.max(highestId, checkpointId);
            String pointer = "jobmanager://" + jobId + "/chk-" + checkpointId;
            MemoryCheckpointStreamFactory streams = new MemoryCheckpointStreamFactory(maxStateSize);
            return new CheckpointStorageLocation() {
                @Override
                public CheckpointStreamFactory getStreamFactory() {
                    return scope -> {
                        return new ReportingOutputStream(streams.createOutputStream(scope), listener);
                    };
                }

                @Override
                public CompletedCheckpoint complete(CheckpointMetadata metadata) {
                    CompletedCheckpoint[] self = new CompletedCheckpoint[1];
                    self[0] = new CompletedCheckpoint(metadata, null, null, pointer, () -> {
                        completed.remove(self[0]);
                        byPointer.remove(pointer);
                    });
                    completed.add(self[0]);
                    byPointer.put(pointer, self[0]);
                    return self[0];
                }

                @Override
                public void abort() {}

                @Override
                public String pointer() {
                    return pointer;
                }
            };
        }

        @Override
        public CheckpointStorageLocation initializeSavepoint(
                long checkpointId, String targetDirectory, StreamWriteListener listener) throws IOException {
            return SavepointLocations.create(
                    fileSystems, jobId, checkpointId, targetDirectory, savepointDirectory, 4096, 0, listener);
        }

        @Override
        public List<CompletedCheckpoint> findCompletedCheckpoints() {
            return new ArrayList<>(completed);
        }

        @Override
        public long highestCheckpointId() {
            return highestId;
        }

        @Override
        public void cleanupIncompleteCheckpoints(Set<Long> inProgress) {}
    }

    @Override
    public String toString() {
        return "JobManagerCheckpointStorage{maxStateSize=" + maxStateSize + "}";
    }
}

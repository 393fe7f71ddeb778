package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.internal.FsCheckpointLocation;
import dev.cairn.checkpoint.internal.FsCheckpointStreamFactory;
import dev.cairn.checkpoint.internal.SavepointLocations;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import dev.cairn.state.spi.CheckpointStreamFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores checkpoints in a directory of a {@link FileSystem} (local, or a distributed store):
 *
 * <pre>
 * &lt;dir&gt;/&lt;job-id&gt;/chk-&lt;n&gt;/_metadata     completed checkpoint n (JSON, checksums of every file)
 * &lt;dir&gt;/&lt;job-id&gt;/chk-&lt;n&gt;/&lt;uuid&gt;       state files owned by checkpoint n
 * &lt;dir&gt;/&lt;job-id&gt;/shared/&lt;uuid&gt;        state files shared by several checkpoints (incremental)
 * &lt;dir&gt;/&lt;job-id&gt;/taskowned/            state owned by the running application, never by a checkpoint
 * </pre>
 *
 * State streams smaller than the inline threshold are stored inside {@code _metadata}. Savepoints go to
 * {@code <savepoint-dir>/savepoint-<job>-<id>-<random>/}, self-contained and relocatable.
 */
public final class FileSystemCheckpointStorage implements CheckpointStorage {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemCheckpointStorage.class);

    /** The storage's own file systems (its S3 client, ...), closed by {@link #close()}. */
    private final FileSystemRegistry fileSystems;

    private final StoragePath checkpointDirectory;
    private final String savepointDirectory;
    private final int inlineThreshold;
    private final int writeBufferSize;
    private final boolean createSubdirectory;
    private final List<StoragePath> changelogDirectories = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Checkpoints under {@code checkpointDirectory} (a URI like {@code file:///data/chk} or a local path).
     *
     * @param checkpointDirectory the directory URI or local path
     */
    public FileSystemCheckpointStorage(String checkpointDirectory) {
        this(FileSystemRegistry.withDefaults(), checkpointDirectory);
    }

    /**
     * Checkpoints under {@code checkpointDirectory}, read and written through {@code fileSystems} (which the storage
     * then owns and closes), with default thresholds.
     *
     * @param fileSystems the file systems, configured for the directory's store (e.g. {@code s3.*})
     * @param checkpointDirectory where checkpoints go
     */
    public FileSystemCheckpointStorage(FileSystemRegistry fileSystems, String checkpointDirectory) {
        this(
                fileSystems,
                checkpointDirectory,
                null,
                (int) CheckpointingOptions.FS_SMALL_FILE_THRESHOLD
                        .defaultValue()
                        .getBytes(),
                CheckpointingOptions.FS_WRITE_BUFFER_SIZE.defaultValue(),
                true);
    }

    /**
     * @param checkpointDirectory where checkpoints go
     * @param savepointDirectory default savepoint target, or {@code null}
     * @param inlineThreshold streams below this many bytes are inlined into the metadata (0 to 1 MiB)
     * @param writeBufferSize output buffer of file streams, in bytes (positive)
     * @param createSubdirectory whether each job gets {@code <dir>/<job-id>/}
     */
    public FileSystemCheckpointStorage(
            String checkpointDirectory,
            String savepointDirectory,
            int inlineThreshold,
            int writeBufferSize,
            boolean createSubdirectory) {
        this(
                FileSystemRegistry.withDefaults(),
                checkpointDirectory,
                savepointDirectory,
                inlineThreshold,
                writeBufferSize,
                createSubdirectory);
    }

    /**
     * A storage whose files are read and written through {@code fileSystems}, which it then owns: {@link #close()}
     * closes it.
     *
     * @param fileSystems the file systems, configured for the checkpoint directory's store (e.g. {@code s3.*})
     * @param checkpointDirectory where checkpoints go
     * @param savepointDirectory default savepoint target, or {@code null}
     * @param inlineThreshold streams below this many bytes are inlined into the metadata (0 to 1 MiB)
     * @param writeBufferSize output buffer of file streams, in bytes (positive)
     * @param createSubdirectory whether each job gets {@code <dir>/<job-id>/}
     */
    public FileSystemCheckpointStorage(
            FileSystemRegistry fileSystems,
            String checkpointDirectory,
            String savepointDirectory,
            int inlineThreshold,
            int writeBufferSize,
            boolean createSubdirectory) {
        this.fileSystems = java.util.Objects.requireNonNull(fileSystems, "fileSystems");
        try {
            this.checkpointDirectory = StoragePath.of(checkpointDirectory);
        } catch (IllegalArgumentException e) {
            throw IllegalConfigurationException.invalidValue(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), checkpointDirectory, "a directory URI or path");
        }
        fileSystems.get(this.checkpointDirectory); // fails early for an unsupported scheme
        if (inlineThreshold < 0 || inlineThreshold > CheckpointingOptions.MAX_INLINE_THRESHOLD.getBytes()) {
            throw IllegalConfigurationException.invalidValue(
                    CheckpointingOptions.FS_SMALL_FILE_THRESHOLD.key(),
                    MemorySize.ofBytes(Math.max(0, inlineThreshold)),
                    "a size from 0 to " + CheckpointingOptions.MAX_INLINE_THRESHOLD);
        }
        if (writeBufferSize <= 0) {
            throw IllegalConfigurationException.invalidValue(
                    CheckpointingOptions.FS_WRITE_BUFFER_SIZE.key(), writeBufferSize, "a positive number of bytes");
        }
        this.savepointDirectory = savepointDirectory;
        this.inlineThreshold = inlineThreshold;
        this.writeBufferSize = writeBufferSize;
        this.createSubdirectory = createSubdirectory;
    }

    /**
     * The file systems this storage reads and writes through (and closes with itself).
     *
     * @return the storage's registry
     */
    public FileSystemRegistry getFileSystems() {
        return fileSystems;
    }

    /** Closes the storage's file systems; checkpoints resolved from it must not be read afterwards. */
    @Override
    public void close() {
        fileSystems.close();
    }

    /** {@return the directory checkpoints go to (each job in its own subdirectory)} */
    public StoragePath getCheckpointDirectory() {
        return checkpointDirectory;
    }

    /** {@return the size in bytes below which state is kept inline in {@code _metadata}} */
    public int getInlineThreshold() {
        return inlineThreshold;
    }

    /** {@return the write buffer size of checkpoint streams, in bytes} */
    public int getWriteBufferSize() {
        return writeBufferSize;
    }

    /**
     * Streams written as files (never inlined) into {@code directory}, each fsynced and recorded with its length
     * and CRC32C under the scope the writer asks for; a stream closed without a handle deletes its file. For
     * state written outside checkpoints, such as the changelog backend's segments and materializations.
     *
     * @param fileSystem the file system to write through
     * @param directory the directory the files go to
     * @param writeBufferSize the write buffer size in bytes
     * @return the stream factory
     */
    public static CheckpointStreamFactory fileStreamFactory(
            FileSystem fileSystem, StoragePath directory, int writeBufferSize) {
        return new FsCheckpointStreamFactory(fileSystem, directory, directory, writeBufferSize, 0, (bytes, file) -> {});
    }

    @Override
    public void acceptChangelogDirectory(StoragePath directory) {
        if (!changelogDirectories.contains(directory)) {
            changelogDirectories.add(directory);
        }
    }

    @Override
    public CheckpointStorageAccess createAccess(String jobId) throws IOException {
        StoragePath jobDirectory = createSubdirectory ? checkpointDirectory.resolve(jobId) : checkpointDirectory;
        FileSystem fileSystem = fileSystems.get(jobDirectory);
        fileSystem.mkdirs(jobDirectory.resolve("shared"));
        fileSystem.mkdirs(jobDirectory.resolve("taskowned"));
        return new Access(jobId, fileSystem, jobDirectory);
    }

    @Override
    public CompletedCheckpoint resolve(String pointer) throws IOException {
        return FsCheckpointLocation.resolve(fileSystems, pointer, changelogDirectories);
    }

    private final class Access implements CheckpointStorageAccess {
        private final String jobId;
        private final FileSystem fileSystem;
        private final StoragePath jobDirectory;
        private final StoragePath sharedDirectory;

        Access(String jobId, FileSystem fileSystem, StoragePath jobDirectory) {
            this.jobId = jobId;
            this.fileSystem = fileSystem;
            this.jobDirectory = jobDirectory;
            this.sharedDirectory = jobDirectory.resolve("shared");
        }

        @Override
        public OwnershipLease acquireOwnership(java.time.Duration timeout, java.time.Clock clock) throws IOException {
            return dev.cairn.checkpoint.internal.FileSystemOwnershipLease.acquire(
                    fileSystem, jobDirectory, timeout, clock);
        }

        @Override
        public CheckpointStorageLocation initializeCheckpoint(long checkpointId, StreamWriteListener listener)
                throws IOException {
            StoragePath directory = jobDirectory.resolve(FsCheckpointLocation.checkpointDirectoryName(checkpointId));
            // A directory left by a crashed attempt with the same id holds no metadata: it is garbage.
            if (fileSystem.exists(directory.resolve(FsCheckpointLocation.METADATA_FILE))) {
                throw new IOException("Checkpoint " + checkpointId + " already exists in " + directory);
            }
            fileSystem.delete(directory, true);
            fileSystem.mkdirs(directory);
            return new FsCheckpointLocation(
                    fileSystem, directory, sharedDirectory, writeBufferSize, inlineThreshold, listener);
        }

        @Override
        public CheckpointStorageLocation initializeSavepoint(
                long checkpointId, String targetDirectory, StreamWriteListener listener) throws IOException {
            return SavepointLocations.create(
                    fileSystems,
                    jobId,
                    checkpointId,
                    targetDirectory,
                    savepointDirectory,
                    writeBufferSize,
                    inlineThreshold,
                    listener);
        }

        @Override
        public List<CompletedCheckpoint> findCompletedCheckpoints() throws IOException {
            return scanCheckpoints().completedOrThrow();
        }

        @Override
        public CheckpointScan scanCheckpoints() throws IOException {
            List<CompletedCheckpoint> completed = new ArrayList<>();
            List<CheckpointScan.Unreadable> unreadable = new ArrayList<>();
            for (FileSystem.FileStatus entry : checkpointDirectories()) {
                if (fileSystem.exists(entry.path().resolve(FsCheckpointLocation.METADATA_FILE))) {
                    try {
                        completed.add(FsCheckpointLocation.read(
                                fileSystems, entry.path(), sharedDirectory, changelogDirectories));
                    } catch (CorruptCheckpointException e) {
                        unreadable.add(new CheckpointScan.Unreadable(
                                idOf(entry), entry.path().toString(), e));
                    }
                }
            }
            completed.sort(Comparator.comparingLong(CompletedCheckpoint::getCheckpointId));
            unreadable.sort(Comparator.comparingLong(CheckpointScan.Unreadable::checkpointId));
            return new CheckpointScan(completed, unreadable);
        }

        @Override
        public long highestCheckpointId() throws IOException {
            long highest = 0;
            for (FileSystem.FileStatus entry : checkpointDirectories()) {
                highest = Math.max(highest, idOf(entry));
            }
            return highest;
        }

        @Override
        public void cleanupIncompleteCheckpoints(Set<Long> inProgress) throws IOException {
            for (FileSystem.FileStatus entry : checkpointDirectories()) {
                if (!inProgress.contains(idOf(entry))
                        && !fileSystem.exists(entry.path().resolve(FsCheckpointLocation.METADATA_FILE))) {
                    // The metadata file is written last: without it the checkpoint never completed.
                    LOG.info(
                            "Deleting {}: checkpoint {} never completed (no {})",
                            entry.path(),
                            idOf(entry),
                            FsCheckpointLocation.METADATA_FILE);
                    fileSystem.delete(entry.path(), true);
                }
            }
        }

        @Override
        public void cleanupOrphanedSharedState(Set<StoragePath> referenced) throws IOException {
            if (!fileSystem.exists(sharedDirectory)) {
                return;
            }
            for (FileSystem.FileStatus entry : fileSystem.list(sharedDirectory)) {
                if (!entry.isDirectory() && !referenced.contains(entry.path())) {
                    LOG.info("Deleting {}: no completed checkpoint references it", entry.path());
                    fileSystem.delete(entry.path(), false);
                }
            }
        }

        private List<FileSystem.FileStatus> checkpointDirectories() throws IOException {
            List<FileSystem.FileStatus> directories = new ArrayList<>();
            for (FileSystem.FileStatus entry : fileSystem.list(jobDirectory)) {
                if (entry.isDirectory()
                        && FsCheckpointLocation.CHECKPOINT_NAME
                                .matcher(entry.path().getName())
                                .matches()) {
                    directories.add(entry);
                }
            }
            return directories;
        }

        /** The id of a directory {@link #checkpointDirectories()} listed. */
        private long idOf(FileSystem.FileStatus entry) {
            Long id = FsCheckpointLocation.idNamedBy(entry.path().getName());
            if (id == null) {
                throw new CorruptCheckpointException("Not a checkpoint directory: " + entry.path());
            }
            return id;
        }
    }

    @Override
    public String toString() {
        return "FileSystemCheckpointStorage{" + checkpointDirectory + "}";
    }
}

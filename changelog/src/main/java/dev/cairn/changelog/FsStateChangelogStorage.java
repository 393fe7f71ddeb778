package dev.cairn.changelog;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.changelog.internal.BatchingUploader;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Change segments as files under {@code state.changelog.dstl.dfs.base-path} (any {@link FileSystem} scheme),
 * uploaded in batches with retries and back-pressure (see {@link StateChangelogOptions} for the knobs), and
 * materialized snapshots under {@code <base-path>/materialized/}. Every file is recorded with its length and
 * CRC32C, checked on restore.
 *
 * <p>Files of a process that crashed stay until {@link #deleteUnreferencedFiles} removes them: the state
 * environment calls it at start, while it holds the checkpoint directory's ownership lease, with the files its
 * retained checkpoints reference. That is only safe in a directory no other job writes to, which is why the
 * environment gives every job its own subdirectory of the base path.
 */
public final class FsStateChangelogStorage implements StateChangelogStorage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FsStateChangelogStorage.class);
    /** The storage's own file systems, closed with it. */
    private final FileSystemRegistry fileSystems;

    private final StoragePath basePath;
    private final BatchingUploader uploader;
    private final CheckpointStreamFactory materializations;

    /**
     * A storage under {@code basePath} with default file-system settings.
     *
     * @param basePath the directory of the segments
     * @param settings upload batching, retries and threads
     * @param writeBufferSize output buffer of the files, in bytes
     */
    public FsStateChangelogStorage(StoragePath basePath, BatchingUploader.Settings settings, int writeBufferSize) {
        this(FileSystemRegistry.withDefaults(), basePath, settings, writeBufferSize);
    }

    /**
     * A storage under {@code basePath} writing through {@code fileSystems}, which it then owns and closes.
     *
     * @param fileSystems the file systems, configured for the base path's store
     * @param basePath the directory of the segments
     * @param settings upload batching, retries and threads
     * @param writeBufferSize output buffer of the files, in bytes
     */
    public FsStateChangelogStorage(
            FileSystemRegistry fileSystems,
            StoragePath basePath,
            BatchingUploader.Settings settings,
            int writeBufferSize) {
        this.fileSystems = java.util.Objects.requireNonNull(fileSystems, "fileSystems");
        this.basePath = basePath;
        StoragePath materializedDirectory = basePath.resolve("materialized");
        FileSystem fileSystem = fileSystems.get(basePath);
        try {
            fileSystem.mkdirs(materializedDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create the changelog directory " + basePath + " ('" + StateChangelogOptions.BASE_PATH.key()
                            + "'): " + e,
                    e);
        }
        this.uploader = new BatchingUploader(
                FileSystemCheckpointStorage.fileStreamFactory(fileSystem, basePath, writeBufferSize), settings);
        CheckpointStreamFactory files =
                FileSystemCheckpointStorage.fileStreamFactory(fileSystem, materializedDirectory, writeBufferSize);
        // Materializations outlive the checkpoint that first references them: changelog scope, never exclusive.
        this.materializations = new CheckpointStreamFactory() {
            @Override
            public CheckpointStateOutputStream createOutputStream(StateScope scope) throws IOException {
                return files.createOutputStream(StateScope.CHANGELOG);
            }
        };
    }

    /**
     * The storage configured by {@code state.changelog.dstl.dfs.*}.
     *
     * @throws IllegalConfigurationException when the base path is missing or a value is out of range
     * @param config the configuration, with {@code state.changelog.dstl.dfs.base-path} set
     * @return the storage
     */
    public static FsStateChangelogStorage fromConfig(ReadableConfig config) {
        String base = config.getOptional(StateChangelogOptions.BASE_PATH)
                .orElseThrow(() -> new IllegalConfigurationException("'" + StateChangelogOptions.STORAGE.key()
                        + "' is filesystem but '" + StateChangelogOptions.BASE_PATH.key() + "' is not set"));
        StoragePath path;
        try {
            path = StoragePath.of(base);
        } catch (IllegalArgumentException e) {
            throw IllegalConfigurationException.invalidValue(
                    StateChangelogOptions.BASE_PATH.key(), base, "a directory URI or path");
        }
        int attempts = config.get(StateChangelogOptions.RETRY_POLICY) == StateChangelogOptions.RetryPolicy.none
                ? 1
                : positive(config, StateChangelogOptions.RETRY_MAX_ATTEMPTS);
        long sizeThreshold =
                config.get(StateChangelogOptions.PERSIST_SIZE_THRESHOLD).getBytes();
        long inFlight = config.get(StateChangelogOptions.IN_FLIGHT_DATA_LIMIT).getBytes();
        if (inFlight < sizeThreshold) {
            throw IllegalConfigurationException.invalidValue(
                    StateChangelogOptions.IN_FLIGHT_DATA_LIMIT.key(),
                    config.get(StateChangelogOptions.IN_FLIGHT_DATA_LIMIT),
                    "at least " + StateChangelogOptions.PERSIST_SIZE_THRESHOLD.key() + " ("
                            + config.get(StateChangelogOptions.PERSIST_SIZE_THRESHOLD) + ")");
        }
        long bufferSize = config.get(StateChangelogOptions.UPLOAD_BUFFER_SIZE).getBytes();
        if (bufferSize < 1 || bufferSize > Integer.MAX_VALUE) {
            throw IllegalConfigurationException.invalidValue(
                    StateChangelogOptions.UPLOAD_BUFFER_SIZE.key(),
                    config.get(StateChangelogOptions.UPLOAD_BUFFER_SIZE),
                    "between 1 byte and 2 GiB");
        }
        return new FsStateChangelogStorage(
                new FileSystemRegistry(config),
                path,
                new BatchingUploader.Settings(
                        config.get(StateChangelogOptions.PERSIST_DELAY),
                        sizeThreshold,
                        inFlight,
                        attempts,
                        config.get(StateChangelogOptions.UPLOAD_TIMEOUT),
                        config.get(StateChangelogOptions.RETRY_DELAY_AFTER_FAILURE),
                        positive(config, StateChangelogOptions.NUM_UPLOAD_THREADS)),
                (int) bufferSize);
    }

    private static int positive(ReadableConfig config, dev.cairn.state.ConfigOption<Integer> option) {
        int value = config.get(option);
        if (value < 1) {
            throw IllegalConfigurationException.invalidValue(option.key(), value, "an integer >= 1");
        }
        return value;
    }

    /** {@return the directory the segments are written to (materializations go to its {@code materialized/})} */
    public StoragePath getBasePath() {
        return basePath;
    }

    /**
     * Deletes the segment and materialization files in this storage's directories that {@code referenced} does
     * not name and that were last written before {@code writtenBeforeMillis}: what crashed processes left. Call it
     * only while no other process writes here (holding the checkpoint directory's ownership lease) and before
     * this storage writes anything. Files whose time the store does not report are kept.
     *
     * @return the number of files deleted
     * @param referenced the files completed checkpoints reference
     * @param writtenBeforeMillis only files last written before this time (epoch milliseconds) are deleted
     * @throws IOException when listing or deleting fails
     */
    public int deleteUnreferencedFiles(java.util.Set<StoragePath> referenced, long writtenBeforeMillis)
            throws IOException {
        FileSystem fileSystem = fileSystems.get(basePath);
        java.util.List<FileSystem.FileStatus> unreferenced =
                unreferencedFiles(fileSystem, basePath, referenced, writtenBeforeMillis);
        if (!unreferenced.isEmpty()) {
            LOG.info(
                    "Deleting {} changelog files ({} bytes) in {} that no retained checkpoint references (left by"
                            + " an earlier run)",
                    unreferenced.size(),
                    unreferenced.stream().mapToLong(FileSystem.FileStatus::size).sum(),
                    basePath);
            fileSystem.deleteAll(
                    unreferenced.stream().map(FileSystem.FileStatus::path).toList());
        }
        return unreferenced.size();
    }

    /**
     * The segment and materialization files of a job's changelog directory that {@code referenced} does not name
     * and that were last written before {@code writtenBeforeMillis}; files whose time the store does not report
     * are left out. This is what {@link #deleteUnreferencedFiles} deletes, and what offline tools list.
     *
     * @param fileSystem the file system of {@code basePath}
     * @param basePath the job's changelog directory (segments; materializations are in its {@code materialized/})
     * @param referenced the files completed checkpoints reference
     * @param writtenBeforeMillis only files last written before this time (epoch milliseconds) are listed
     * @return the files, with their sizes; empty when the directory does not exist
     * @throws IOException when listing fails
     */
    public static java.util.List<FileSystem.FileStatus> unreferencedFiles(
            FileSystem fileSystem,
            StoragePath basePath,
            java.util.Set<StoragePath> referenced,
            long writtenBeforeMillis)
            throws IOException {
        java.util.List<FileSystem.FileStatus> unreferenced = new java.util.ArrayList<>();
        for (StoragePath directory : java.util.List.of(basePath, basePath.resolve("materialized"))) {
            for (FileSystem.FileStatus entry : fileSystem.list(directory)) {
                if (!entry.isDirectory()
                        && !referenced.contains(entry.path())
                        && entry.modificationTime() >= 0
                        && entry.modificationTime() < writtenBeforeMillis) {
                    unreferenced.add(entry);
                }
            }
        }
        return unreferenced;
    }

    @Override
    public CompletableFuture<Segment> persist(byte[] changes, long fromSequence, long toSequence) {
        return uploader.persist(changes, fromSequence, toSequence);
    }

    @Override
    public void registerMetrics(MetricGroup group) {
        uploader.registerMetrics(group);
    }

    @Override
    public Optional<String> backPressure() {
        return uploader.backPressure();
    }

    @Override
    public void confirm(Segment segment) {
        uploader.confirm(segment);
    }

    @Override
    public void discard(Segment segment) {
        uploader.discard(segment);
    }

    @Override
    public CheckpointStreamFactory materializationStreams() {
        return materializations;
    }

    @Override
    public void close() {
        try {
            uploader.close();
        } finally {
            fileSystems.close();
        }
    }

    @Override
    public String toString() {
        return "FsStateChangelogStorage{" + basePath + "}";
    }
}

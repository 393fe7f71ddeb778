package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle.NamedFile;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import dev.cairn.state.support.AsyncSnapshotTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A native checkpoint of a RocksDB backend, full or incremental.
 *
 * <p>The synchronous part ({@link #take}) has RocksDB flush its memtables and hard-link the live files into a
 * local checkpoint directory (no data is copied), and captures the states' meta information and heap-mode timers.
 * The asynchronous part ({@link #upload}) uploads the files in parallel: SST files as data files — in incremental
 * mode only those the last completed checkpoint did not already hold, written to the shared scope; every other
 * file (MANIFEST, CURRENT, OPTIONS) and the meta stream as private files. The local directory is deleted when the
 * snapshot finishes or is cancelled; a failed upload deletes what it wrote.
 */
final class RocksDBNativeSnapshot<K> {
    private static final String SST_SUFFIX = ".sst";

    private final RocksDBKeyedStateBackend<K> backend;
    private final long checkpointId;
    private final Path localDirectory;
    private final RocksDBSnapshotWriter<K> metaWriter;
    private final boolean incremental;
    private final Map<String, StreamStateHandle> reusable;
    /** Every file this snapshot uploaded (not the reused ones), for discarding a cancelled snapshot's result. */
    private final List<StreamStateHandle> written = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RocksDBNativeSnapshot(
            RocksDBKeyedStateBackend<K> backend,
            long checkpointId,
            Path localDirectory,
            RocksDBSnapshotWriter<K> metaWriter,
            boolean incremental,
            Map<String, StreamStateHandle> reusable) {
        this.backend = backend;
        this.checkpointId = checkpointId;
        this.localDirectory = localDirectory;
        this.metaWriter = metaWriter;
        this.incremental = incremental;
        this.reusable = reusable;
    }

    /** The synchronous part: a local RocksDB checkpoint in {@code localDirectory} (which must not exist). */
    static <K> RocksDBNativeSnapshot<K> take(
            RocksDBKeyedStateBackend<K> backend,
            RocksDB db,
            long checkpointId,
            Path localDirectory,
            RocksDBSnapshotWriter<K> metaWriter,
            boolean incremental,
            Map<String, StreamStateHandle> reusable) {
        try {
            Files.createDirectories(localDirectory.getParent());
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(localDirectory.toString());
            }
        } catch (IOException | RocksDBException e) {
            LocalDirectories.delete(localDirectory);
            throw new StateBackendException(
                    "Cannot create a RocksDB checkpoint in " + localDirectory + ": " + e.getMessage(), e);
        }
        return new RocksDBNativeSnapshot<>(backend, checkpointId, localDirectory, metaWriter, incremental, reusable);
    }

    /**
     * The asynchronous part: uploads what is needed and returns the handle; stops (deleting its uploads) once
     * {@code task} is cancelled.
     */
    SnapshotResult<KeyedStateHandle> upload(
            CheckpointStreamFactory streams,
            RocksDBFileTransfer transfer,
            UploadedSstFiles uploaded,
            AsyncSnapshotTask<?> task)
            throws IOException {
        task.throwIfCancelled();
        List<Path> newSstFiles = new ArrayList<>();
        List<Path> otherFiles = new ArrayList<>();
        List<NamedFile> dataFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(localDirectory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SST_SUFFIX)) {
                    otherFiles.add(file);
                } else if (incremental && reusable.containsKey(name)) {
                    dataFiles.add(new NamedFile(name, reusable.get(name)));
                } else {
                    newSstFiles.add(file);
                }
            }
        }
        try {
            List<StreamStateHandle> sstHandles =
                    transfer.upload(newSstFiles, incremental ? StateScope.SHARED : StateScope.EXCLUSIVE, streams);
            written.addAll(sstHandles);
            task.throwIfCancelled();
            List<StreamStateHandle> otherHandles = transfer.upload(otherFiles, StateScope.EXCLUSIVE, streams);
            written.addAll(otherHandles);
            task.throwIfCancelled();
            KeyGroupsStateHandle meta = metaWriter.write(streams, task);
            written.add(meta.getStream());
            task.throwIfCancelled();

            long checkpointedSize = 0;
            for (StreamStateHandle handle : written) {
                checkpointedSize += handle.getStateSize();
            }
            for (int i = 0; i < newSstFiles.size(); i++) {
                dataFiles.add(new NamedFile(newSstFiles.get(i).getFileName().toString(), sstHandles.get(i)));
            }
            List<NamedFile> privateFiles = new ArrayList<>();
            for (int i = 0; i < otherFiles.size(); i++) {
                privateFiles.add(new NamedFile(otherFiles.get(i).getFileName().toString(), otherHandles.get(i)));
            }
            Map<String, StreamStateHandle> snapshotFiles = new HashMap<>();
            dataFiles.forEach(file -> snapshotFiles.put(file.name(), file.stream()));
            uploaded.snapshotTaken(checkpointId, snapshotFiles);
            KeyGroupRange range = backend.getKeyGroupRange();
            return SnapshotResult.of(new IncrementalKeyedStateHandle(
                    backend.backendIdentifier(),
                    checkpointId,
                    range,
                    meta,
                    dataFiles,
                    privateFiles,
                    checkpointedSize,
                    incremental));
        } catch (IOException | RuntimeException e) {
            written.forEach(RocksDBFileTransfer::discardQuietly);
            written.clear();
            throw e;
        }
    }

    /**
     * Deletes every file this snapshot uploaded and forgets them as reusable: for a result that completed after the
     * snapshot was cancelled (nobody will reference it).
     */
    void discardUploads(UploadedSstFiles uploaded) {
        uploaded.aborted(checkpointId);
        written.forEach(RocksDBFileTransfer::discardQuietly);
        written.clear();
    }

    /** Deletes the local checkpoint directory (the hard links); idempotent. */
    void releaseLocalFiles() {
        if (Files.exists(localDirectory)) {
            LocalDirectories.delete(localDirectory);
        }
    }
}

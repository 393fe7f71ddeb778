package dev.cairn.processor;

import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.SnapshotOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A completed checkpoint or savepoint opened for offline use: its operators and states, its files, and what
 * {@link Savepoints} writes from it. Close it to release file system clients and the temporary files of
 * conversions (reading a native RocksDB or changelog checkpoint converts it into the canonical format first, in a
 * temporary directory).
 *
 * <p>Not thread-safe.
 */
public final class CheckpointView implements AutoCloseable {
    private final CompletedCheckpoint checkpoint;
    private final FileSystemCheckpointStorage storage;
    private final ReadableConfig config;
    private final ClassLoader classLoader;
    private final Map<String, OperatorView> operators = new LinkedHashMap<>();
    private Path temporaryDirectory;

    CheckpointView(
            CompletedCheckpoint checkpoint,
            FileSystemCheckpointStorage storage,
            ReadableConfig config,
            ClassLoader classLoader) {
        this.checkpoint = checkpoint;
        this.storage = storage;
        this.config = config;
        this.classLoader = classLoader;
        for (OperatorSnapshot operator : checkpoint.getMetadata().operators()) {
            operators.put(operator.operatorId(), new OperatorView(this, operator));
        }
    }

    /**
     * A view of no checkpoint: no operators, checkpoint id 0. What {@link SavepointWriter#newSavepoint} starts from.
     *
     * @param config settings of the file systems savepoints are written to
     * @return the view; close it
     */
    static CheckpointView empty(ReadableConfig config) {
        CompletedCheckpoint nothing = new CompletedCheckpoint(
                new CheckpointMetadata(
                        0, System.currentTimeMillis(), SnapshotOptions.SnapshotType.SAVEPOINT, List.of()),
                null,
                null,
                "(new savepoint)");
        // The storage is never written: it only holds the file systems, configured by the settings.
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(
                new FileSystemRegistry(config),
                Path.of(System.getProperty("java.io.tmpdir")).toUri().toString());
        return new CheckpointView(
                nothing, storage, config, Thread.currentThread().getContextClassLoader());
    }

    /** {@return the checkpoint's pointer: its directory, or an in-memory name} */
    public String pointer() {
        return checkpoint.getPointer();
    }

    /** {@return the checkpoint's id} */
    public long checkpointId() {
        return checkpoint.getCheckpointId();
    }

    /** {@return when the checkpoint was triggered, in epoch milliseconds} */
    public long timestamp() {
        return checkpoint.getTimestamp();
    }

    /** {@return whether it is a savepoint (canonical and self-contained)} */
    public boolean isSavepoint() {
        return checkpoint.isSavepoint();
    }

    /** {@return the size of all referenced state in bytes, inline and in files} */
    public long stateSize() {
        return checkpoint.getStateSize();
    }

    /** {@return the operators, in the order the metadata lists them} */
    public List<OperatorView> operators() {
        return List.copyOf(operators.values());
    }

    /**
     * One operator.
     *
     * @param operatorId the operator's id
     * @return its view
     * @throws IllegalArgumentException naming the operators there are, when there is none of that id
     */
    public OperatorView operator(String operatorId) {
        OperatorView operator = operators.get(operatorId);
        if (operator == null) {
            throw new IllegalArgumentException(
                    "No operator '" + operatorId + "' in " + pointer() + "; its operators are " + operators.keySet());
        }
        return operator;
    }

    /** {@return the files the checkpoint references (state inline in {@code _metadata} is not in a file)} */
    public List<FileStateHandle> files() {
        return checkpoint.files();
    }

    /**
     * Checks every referenced file: that it exists, its length and its CRC32C; with {@code deep}, also decodes every
     * entry of every keyed state (converting non-canonical state first), which finds damage that checksums cannot,
     * such as a serializer that no longer reads its data.
     *
     * @param deep whether to decode every entry too
     * @param progress called after each file with the number of bytes it held
     * @return what was checked and what is wrong; never throws for a damaged file
     * @throws IOException only when checking cannot proceed at all
     */
    public VerifyReport verify(boolean deep, Consumer<FileStateHandle> progress) throws IOException {
        List<VerifyReport.Problem> problems = new ArrayList<>();
        long bytes = 0;
        int files = 0;
        for (FileStateHandle file : files()) {
            try {
                file.verify();
            } catch (CorruptCheckpointException | IOException e) {
                problems.add(new VerifyReport.Problem(file.getPath().toString(), e.getMessage()));
            }
            files++;
            bytes += file.getStateSize();
            progress.accept(file);
        }
        long entries = 0;
        if (deep && problems.isEmpty()) {
            for (OperatorView operator : operators.values()) {
                for (StateInfo state : operator.keyedStates()) {
                    try (Stream<KeyedEntry> stream = operator.entries(state.name())) {
                        entries += stream.count();
                    } catch (RuntimeException e) {
                        problems.add(new VerifyReport.Problem(
                                operator.id() + "/" + state.name(), String.valueOf(e.getMessage())));
                    }
                }
            }
        }
        return new VerifyReport(files, bytes, entries, problems);
    }

    CompletedCheckpoint checkpoint() {
        return checkpoint;
    }

    CheckpointMetadata metadata() {
        return checkpoint.getMetadata();
    }

    FileSystemRegistry fileSystems() {
        return storage.getFileSystems();
    }

    ReadableConfig config() {
        return config;
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    /** A new empty directory under this view's temporary directory, deleted on {@link #close()}. */
    Path newTemporaryDirectory(String prefix) throws IOException {
        if (temporaryDirectory == null) {
            temporaryDirectory = Files.createTempDirectory("cairn-processor-");
        }
        return Files.createTempDirectory(temporaryDirectory, prefix);
    }

    /** Releases the file systems' clients and deletes temporary files. Idempotent. */
    @Override
    public void close() {
        storage.close();
        if (temporaryDirectory != null) {
            try (Stream<Path> paths = Files.walk(temporaryDirectory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete temporary files in " + temporaryDirectory, e);
            }
            temporaryDirectory = null;
        }
    }

    @Override
    public String toString() {
        return "CheckpointView{" + pointer() + "}";
    }
}

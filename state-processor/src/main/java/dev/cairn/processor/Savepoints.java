package dev.cairn.processor;

import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.CheckpointStorageAccess;
import dev.cairn.checkpoint.CheckpointStorageLocation;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.OperatorSnapshot;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.processor.internal.CanonicalConversion;
import dev.cairn.processor.internal.Repartitioner;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes canonical savepoints from an opened checkpoint: the format every backend restores, self-contained (it
 * references no file of the source).
 *
 * <ul>
 *   <li>{@link #convert}: the same state, from any format — a native full or incremental RocksDB checkpoint, a
 *       changelog checkpoint (materialized part plus replayed changes), or a canonical one.
 *   <li>{@link #rescale}: the state re-partitioned for a new parallelism and a new max parallelism. Flink cannot
 *       change the max parallelism of existing state; here every key is hashed into the new key groups, so a
 *       restore with the new max parallelism finds every key, with its value, its timers and its TTL timestamp.
 * </ul>
 *
 * <p>The savepoint gets the source's checkpoint id and a new directory {@code savepoint-…} under the target
 * directory; it appears (its {@code _metadata} is written) only when everything else is.
 */
public final class Savepoints {
    private static final int WRITE_BUFFER_SIZE = 64 * 1024;

    private Savepoints() {}

    /**
     * Writes the checkpoint's state as a canonical savepoint.
     *
     * @param source the checkpoint or savepoint
     * @param targetDirectory where the savepoint directory is created (a path or URI)
     * @return the new savepoint's pointer
     * @throws IOException when reading or writing fails
     */
    public static String convert(CheckpointView source, String targetDirectory) throws IOException {
        return write(source, targetDirectory, (operator, target) -> {
            List<KeyedStateHandle> keyed = new ArrayList<>();
            CanonicalConversion conversion = null;
            for (KeyedStateHandle handle : operator.snapshot().keyedState()) {
                if (handle instanceof KeyGroupsStateHandle canonical) {
                    keyed.add(new KeyGroupsStateHandle(
                            canonical.getOffsets(),
                            CanonicalConversion.copy(canonical.getStream(), target),
                            canonical.isLegacyKeyGroupHash()));
                    continue;
                }
                if (conversion == null) {
                    conversion =
                            new CanonicalConversion(source.newTemporaryDirectory("rocksdb-"), source.classLoader());
                }
                conversion
                        .toCanonical(operator.id(), handle, target, source.checkpointId())
                        .ifPresent(keyed::add);
            }
            return keyed;
        });
    }

    /**
     * Writes the checkpoint's state as a canonical savepoint for {@code parallelism} instances over
     * {@code maxParallelism} key groups. Operator state is carried unchanged: it is redistributed when it is
     * restored, for any parallelism.
     *
     * @param source the checkpoint or savepoint
     * @param parallelism the new number of instances
     * @param maxParallelism the new number of key groups (max parallelism), at least {@code parallelism}
     * @param targetDirectory where the savepoint directory is created (a path or URI)
     * @return the new savepoint's pointer
     * @throws IllegalArgumentException when the parallelism is not in [1, maxParallelism] or the max parallelism is
     *     not in [1, 32768]
     * @throws IOException when reading, spilling or writing fails
     */
    public static String rescale(CheckpointView source, int parallelism, int maxParallelism, String targetDirectory)
            throws IOException {
        if (maxParallelism < 1 || maxParallelism > KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException("The max parallelism must be in [1, "
                    + KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM + "], got " + maxParallelism);
        }
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    "The parallelism must be in [1, " + maxParallelism + "] (the max parallelism), got " + parallelism);
        }
        return write(source, targetDirectory, (operator, target) -> {
            Repartitioner repartitioner =
                    new Repartitioner(source.newTemporaryDirectory("spill-"), source.classLoader());
            return new ArrayList<>(repartitioner.repartition(
                    operator.id(), operator.canonicalHandles(), parallelism, maxParallelism, target));
        });
    }

    /** Writes the keyed state of one operator into the savepoint. */
    @FunctionalInterface
    interface KeyedWriter {
        List<KeyedStateHandle> write(OperatorView operator, CheckpointStreamFactory target) throws IOException;
    }

    /** Adds operators the source does not have. */
    @FunctionalInterface
    interface NewOperators {
        void add(CheckpointStreamFactory target, List<OperatorSnapshot> operators) throws IOException;
    }

    private static String write(CheckpointView source, String targetDirectory, KeyedWriter keyedWriter)
            throws IOException {
        return write(source, targetDirectory, keyedWriter, (target, operators) -> {});
    }

    static String write(
            CheckpointView source, String targetDirectory, KeyedWriter keyedWriter, NewOperators newOperators)
            throws IOException {
        // A storage over a temporary directory only provides the savepoint location under the target directory.
        // The storage owns (and closes) its file systems, configured as the source's.
        try (FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(
                new FileSystemRegistry(source.config()),
                source.newTemporaryDirectory("storage-").toString(),
                null,
                0,
                WRITE_BUFFER_SIZE,
                false)) {
            CheckpointStorageAccess access = storage.createAccess("cairn-processor");
            CheckpointStorageLocation location =
                    access.initializeSavepoint(source.checkpointId(), targetDirectory, StreamWriteListener.NONE);
            try {
                CheckpointStreamFactory target = location.getStreamFactory();
                List<OperatorSnapshot> operators = new ArrayList<>();
                for (OperatorView operator : source.operators()) {
                    List<KeyedStateHandle> keyed = keyedWriter.write(operator, target);
                    List<OperatorStateHandle> operatorState = new ArrayList<>();
                    for (OperatorStateHandle handle : operator.snapshot().operatorState()) {
                        operatorState.add(new OperatorStateHandle(
                                CanonicalConversion.copy(handle.getStream(), target), handle.getStates()));
                    }
                    operators.add(new OperatorSnapshot(operator.id(), keyed, operatorState));
                }
                newOperators.add(target, operators);
                CompletedCheckpoint written = location.complete(new CheckpointMetadata(
                        source.checkpointId(),
                        System.currentTimeMillis(),
                        SnapshotOptions.SnapshotType.SAVEPOINT,
                        operators));
                return written.getPointer();
            } catch (IOException | RuntimeException e) {
                location.abort();
                throw e;
            }
        }
    }
}

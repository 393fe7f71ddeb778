package dev.cairn.s3;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of {@link S3TwoProcessTest}: an instance of a keyed operator (RocksDB, incremental checkpoints) that
 * either writes its keys and checkpoints them to S3, or restores a share of the key groups from such checkpoints
 * and checks every value. Run as {@code checkpoint <directory> <index> <parallelism> <keys>} (prints
 * {@code POINTER <checkpoint>}) or {@code restore <index> <parallelism> <keys> <checkpoint>...} (prints
 * {@code RESTORED <keys checked>}); exits non-zero on any mismatch. Reads the S3 server from the environment like
 * the tests do.
 */
public final class S3Worker {
    static final String OPERATOR = "counts";
    static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value", Serializers.LONG);

    private S3Worker() {}

    static long valueOf(long key) {
        return key * 7 + 1;
    }

    static boolean owns(CheckpointableKeyedStateBackend<Long> backend, long key) {
        return backend.getKeyGroupRange()
                .contains(KeyGroupRangeAssignment.assignToKeyGroup(key, backend.getNumberOfKeyGroups()));
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("checkpoint")) {
            checkpoint(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else {
            List<String> pointers = List.of(args).subList(4, args.length);
            restore(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), pointers);
        }
        System.exit(0);
    }

    private static void checkpoint(String directory, int index, int parallelism, int keys) throws Exception {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(S3TestServer.fileSystems(), directory);
        try (CheckpointableKeyedStateBackend<Long> backend = new EmbeddedRocksDBStateBackend(true)
                        .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                                .operatorIdentifier(OPERATOR)
                                .instance(index, parallelism)
                                .build());
                CheckpointCoordinator coordinator = new CheckpointCoordinator(
                        storage.createAccess("two-process"),
                        CheckpointCoordinator.Settings.defaults(),
                        Runnable::run)) {
            coordinator.registerKeyedBackend(OPERATOR, backend);
            ValueState<Long> state = backend.getState(VALUE);
            for (long key = 0; key < keys; key++) {
                if (owns(backend, key)) {
                    backend.setCurrentKey(key);
                    state.update(valueOf(key));
                }
            }
            CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
            System.out.println("POINTER " + checkpoint.getPointer());
        }
    }

    private static void restore(int index, int parallelism, int keys, List<String> pointers) throws Exception {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (String pointer : pointers) {
            CompletedCheckpoint checkpoint =
                    new FileSystemCheckpointStorage(S3TestServer.fileSystems(), pointer).resolve(pointer);
            handles.addAll(checkpoint.getKeyedState(OPERATOR));
        }
        try (CheckpointableKeyedStateBackend<Long> backend = new EmbeddedRocksDBStateBackend(true)
                .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .operatorIdentifier(OPERATOR)
                        .instance(index, parallelism)
                        .restoreFrom(handles)
                        .build())) {
            ValueState<Long> state = backend.getState(VALUE);
            int checked = 0;
            for (long key = 0; key < keys; key++) {
                if (owns(backend, key)) {
                    backend.setCurrentKey(key);
                    Long value = state.value();
                    if (value == null || value != valueOf(key)) {
                        System.out.println("MISMATCH key " + key + ": " + value + " instead of " + valueOf(key));
                        System.exit(1);
                    }
                    checked++;
                }
            }
            if (backend.numKeyValueStateEntries() != checked) {
                System.out.println("MISMATCH " + backend.numKeyValueStateEntries() + " entries, " + checked + " owned");
                System.exit(1);
            }
            System.out.println("RESTORED " + checked);
        }
    }
}

package dev.cairn.benchmarks;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.InMemoryStateChangelogStorage;
import dev.cairn.state.Configuration;
import dev.cairn.state.MemorySize;
import dev.cairn.state.Serializers;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.rocksdb.RocksDBOptionsFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.StateBackend;
import java.util.Collection;
import java.util.Random;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;

/** What the keyed-state benchmarks share: the backend under test and a random key access order. */
final class BenchmarkSupport {
    /** Length of the precomputed access order; a power of two so the index wraps with a mask. */
    static final int ACCESS_ORDER_LENGTH = 1 << 20;

    /**
     * The system property that picks the RocksDB configuration of a run ({@code compare-with-flink.sh} passes it to
     * both sides; Flink's {@code FlinkBackends} reads the same name and values):
     * <ul>
     *   <li>{@code managed} (default): 256 MB of managed memory — one shared block cache and write buffer manager;
     *   <li>{@code unmanaged}: Flink's settings outside a job — no managed memory, an 8 MB block cache, Snappy;
     *   <li>{@code defaults}: each library's defaults — Cairn: 256 MB budget, RocksDB 11's LZ4; Flink: managed memory
     *       of a default task manager's one slot (512 MB), Snappy.
     * </ul>
     */
    static final String ROCKSDB_CONFIGURATION = "cairn.bench.rocksdb";

    private BenchmarkSupport() {}

    /** A RocksDB backend in the configuration {@link #ROCKSDB_CONFIGURATION} names. */
    static EmbeddedRocksDBStateBackend rocksdb(boolean incremental) {
        String configuration = System.getProperty(ROCKSDB_CONFIGURATION, "managed");
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(incremental);
        return switch (configuration) {
            case "managed" ->
                backend.configure(
                        new Configuration()
                                .set(RocksDBOptions.USE_MANAGED_MEMORY, true)
                                .set(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, MemorySize.ofMebiBytes(256)),
                        BenchmarkSupport.class.getClassLoader());
            case "unmanaged" -> {
                EmbeddedRocksDBStateBackend unmanaged = backend.configure(
                        new Configuration()
                                .set(RocksDBOptions.USE_MANAGED_MEMORY, false)
                                .set(RocksDBOptions.BLOCK_CACHE_SIZE, MemorySize.ofMebiBytes(8)),
                        BenchmarkSupport.class.getClassLoader());
                unmanaged.setRocksDBOptions(new SnappyCompression());
                yield unmanaged;
            }
            case "defaults" -> backend;
            default ->
                throw new IllegalArgumentException(
                        ROCKSDB_CONFIGURATION + " must be managed, unmanaged or defaults: " + configuration);
        };
    }

    /** Flink's default compression (FRocksDB's and Flink's options say Snappy; RocksDB 11 defaults to LZ4). */
    private static final class SnappyCompression implements RocksDBOptionsFactory {
        @Override
        public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
            return currentOptions;
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(
                ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
            return currentOptions.setCompressionType(CompressionType.SNAPPY_COMPRESSION);
        }
    }

    /**
     * A Long-keyed backend owning all key groups: {@code hashmap} or {@code rocksdb}, or either wrapped in the
     * changelog backend ({@code hashmap-changelog}, {@code rocksdb-changelog}; in-memory changelog storage, no
     * periodic materialization: the cost of recording every change).
     */
    static CheckpointableKeyedStateBackend<Long> longKeyedBackend(String backendType) {
        StateBackend stateBackend = switch (backendType) {
            case "rocksdb" -> rocksdb(false);
            case "rocksdb-heap-timers" -> {
                EmbeddedRocksDBStateBackend rocksdb = rocksdb(false);
                rocksdb.setPriorityQueueStateType(dev.cairn.state.rocksdb.RocksDBOptions.TimerServiceFactory.HEAP);
                yield rocksdb;
            }
            case "hashmap" -> new HashMapStateBackend();
            case "hashmap-incremental" -> new HashMapStateBackend(true);
            case "rocksdb-changelog" -> changelog(rocksdb(false));
            case "hashmap-changelog" -> changelog(new HashMapStateBackend());
            default ->
                throw new IllegalArgumentException("backendType must be hashmap, hashmap-incremental, rocksdb,"
                        + " hashmap-changelog or rocksdb-changelog: " + backendType);
        };
        return stateBackend.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.LONG).build());
    }

    private static StateBackend changelog(StateBackend inner) {
        return new ChangelogStateBackend(
                inner,
                new InMemoryStateChangelogStorage(),
                new ChangelogStateBackend.Settings(false, java.time.Duration.ofMinutes(10), 3, 5 << 20));
    }

    /** Uniformly random keys in {@code [0, keys)}, reproducible from {@code seed}. */
    static Long[] randomAccessOrder(int keys, long seed) {
        Random random = new Random(seed);
        Long[] order = new Long[ACCESS_ORDER_LENGTH];
        for (int i = 0; i < order.length; i++) {
            order[i] = (long) random.nextInt(keys);
        }
        return order;
    }

    /** Deletes a temporary directory and everything in it. */
    static void deleteRecursively(java.nio.file.Path directory) {
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(directory)) {
            for (java.nio.file.Path path :
                    walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(path);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot delete " + directory, e);
        }
    }

    /**
     * A coordinator over a {@code filesystem} storage in {@code directory} (20 KiB inline threshold) that completes
     * checkpoints on the calling thread and records each one's synchronous pause in {@code lastSyncPauseMicros}.
     */
    static dev.cairn.checkpoint.CheckpointCoordinator checkpointCoordinator(
            java.nio.file.Path directory, int retained, java.util.concurrent.atomic.AtomicLong lastSyncPauseMicros)
            throws java.io.IOException {
        dev.cairn.checkpoint.CheckpointCoordinator coordinator = new dev.cairn.checkpoint.CheckpointCoordinator(
                new dev.cairn.checkpoint.FileSystemCheckpointStorage(
                                directory.resolve("checkpoints").toString(),
                                directory.resolve("savepoints").toString(),
                                20 * 1024,
                                1 << 16,
                                true)
                        .createAccess("bench"),
                new dev.cairn.checkpoint.CheckpointCoordinator.Settings(retained, 1),
                Runnable::run);
        coordinator.addListener(new dev.cairn.checkpoint.CheckpointProgressListener() {
            @Override
            public void checkpointCompleted(dev.cairn.checkpoint.CheckpointStats stats) {
                lastSyncPauseMicros.set(stats.syncPauseMicros());
            }
        });
        return coordinator;
    }
}

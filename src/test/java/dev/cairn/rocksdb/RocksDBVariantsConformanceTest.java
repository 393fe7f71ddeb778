package dev.cairn.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBOptions;
import org.junit.jupiter.api.Nested;

/**
 * The RocksDB backend with heap timers, with snapshots through the filesystem storage, and with incremental
 * checkpoints (in memory and through the filesystem storage).
 */
class RocksDBVariantsConformanceTest {

    @Nested
    class HeapTimers extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return () -> {
                EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
                backend.setPriorityQueueStateType(RocksDBOptions.TimerServiceFactory.HEAP);
                return backend;
            };
        }
    }

    @Nested
    class FileSystemStorage extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.fileSystem(EmbeddedRocksDBStateBackend::new);
        }
    }

    @Nested
    class Incremental extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return () -> new EmbeddedRocksDBStateBackend(true);
        }
    }

    @Nested
    class IncrementalOnFileSystemStorage extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.fileSystem(() -> new EmbeddedRocksDBStateBackend(true));
        }
    }
}

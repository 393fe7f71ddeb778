package dev.cairn.changelog;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.ChangelogFixtures;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Nested;

/**
 * Heap (full and incremental checkpoints) and RocksDB wrapped in the changelog backend, with in-memory and
 * file-system changelog storage.
 */
class ChangelogConformanceTest {

    @Nested
    class HeapInMemory extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.inMemory(HashMapStateBackend::new);
        }
    }

    @Nested
    class HeapOnFileSystem extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.onFileSystem(HashMapStateBackend::new);
        }
    }

    @Nested
    class RocksDBInMemory extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.inMemory(EmbeddedRocksDBStateBackend::new);
        }
    }

    @Nested
    class RocksDBIncrementalOnFileSystem extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.onFileSystem(() -> new EmbeddedRocksDBStateBackend(true));
        }
    }

    /** The changelog over RocksDB with a two-entry object cache: replay and materialization through the cache. */
    @Nested
    class RocksDBTinyCacheOnFileSystem extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.onFileSystem(() -> {
                EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend(true);
                rocksdb.setCacheMaxEntries(2);
                return rocksdb;
            });
        }
    }

    @Nested
    class HeapIncrementalOnFileSystem extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return ChangelogFixtures.onFileSystem(() -> new HashMapStateBackend(true).withChainLimits(2, 100));
        }
    }
}

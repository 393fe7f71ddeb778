package dev.cairn.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.heap.HashMapStateBackend;
import org.junit.jupiter.api.Nested;

/**
 * The heap backend's conformance with snapshots written through each checkpoint storage, with full and with
 * incremental checkpoints (short chains, so that bases and deltas alternate).
 */
class HeapOnStoragesConformanceTest {

    @Nested
    class FileSystemStorage extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.fileSystem(HashMapStateBackend::new);
        }
    }

    @Nested
    class JobManagerStorage extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.jobManager(HashMapStateBackend::new);
        }
    }

    @Nested
    class IncrementalOnFileSystemStorage extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return StorageFixtures.fileSystem(() -> new HashMapStateBackend(true).withChainLimits(2, 100));
        }
    }
}

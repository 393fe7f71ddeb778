package dev.cairn.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.heap.HashMapStateBackend;

/**
 * The random-operation model with incremental heap checkpoints written to and read from files: chains of deltas
 * (short, so new bases come often) in shared files across checkpoints, restores and rescales.
 */
class HeapIncrementalOnFileSystemStorageModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return StorageFixtures.fileSystem(() -> new HashMapStateBackend(true).withChainLimits(3, 100));
    }
}

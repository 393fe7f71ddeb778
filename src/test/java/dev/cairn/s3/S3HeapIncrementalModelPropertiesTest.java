package dev.cairn.s3;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.heap.HashMapStateBackend;

/**
 * The random-operation model with incremental heap checkpoints written to and read back from S3 (S3Proxy): chains
 * of delta files shared between checkpoints, restored and rescaled from the object store.
 */
class S3HeapIncrementalModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return StorageFixtures.s3(() -> new HashMapStateBackend(true).withChainLimits(3, 100));
    }
}

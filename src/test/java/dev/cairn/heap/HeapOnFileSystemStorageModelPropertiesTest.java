package dev.cairn.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.conformance.StorageFixtures;
import dev.cairn.state.heap.HashMapStateBackend;

/** The random-operation model with every snapshot written to and read from files. */
class HeapOnFileSystemStorageModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return StorageFixtures.fileSystem(HashMapStateBackend::new);
    }
}

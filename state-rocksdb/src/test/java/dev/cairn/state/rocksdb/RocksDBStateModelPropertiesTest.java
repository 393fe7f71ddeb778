package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/** The RocksDB backend against the random-operation model. */
class RocksDBStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return EmbeddedRocksDBStateBackend::new;
    }
}

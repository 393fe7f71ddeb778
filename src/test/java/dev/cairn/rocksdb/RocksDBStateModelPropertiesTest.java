package dev.cairn.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;

/** The RocksDB backend against the random-operation model. */
class RocksDBStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return EmbeddedRocksDBStateBackend::new;
    }
}

package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/** The RocksDB backend with incremental checkpoints against the random-operation model. */
class RocksDBIncrementalStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return () -> new EmbeddedRocksDBStateBackend(true);
    }
}

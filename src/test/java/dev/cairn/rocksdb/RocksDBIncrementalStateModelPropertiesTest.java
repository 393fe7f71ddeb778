package dev.cairn.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;

/** The RocksDB backend with incremental checkpoints against the random-operation model. */
class RocksDBIncrementalStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return () -> new EmbeddedRocksDBStateBackend(true);
    }
}

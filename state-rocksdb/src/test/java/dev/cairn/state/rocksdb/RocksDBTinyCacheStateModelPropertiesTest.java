package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/** The RocksDB backend with a three-entry object cache against the random-operation model. */
class RocksDBTinyCacheStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return () -> RocksDBCacheFixtures.cached(3);
    }
}

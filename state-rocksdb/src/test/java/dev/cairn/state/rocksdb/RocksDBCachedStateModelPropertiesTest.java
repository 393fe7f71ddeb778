package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/** The RocksDB backend with an object cache that holds everything against the random-operation model. */
class RocksDBCachedStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return () -> RocksDBCacheFixtures.cached(100_000);
    }
}

package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;

/** The RocksDB backend with a large object cache (nothing evicted) against the whole conformance suite. */
class RocksDBCachedConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return () -> RocksDBCacheFixtures.cached(100_000);
    }
}

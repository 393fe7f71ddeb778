package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;

/** The RocksDB backend with a two-entry object cache (evicting, and writing back, on nearly every access). */
class RocksDBTinyCacheConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return () -> RocksDBCacheFixtures.cached(2);
    }
}

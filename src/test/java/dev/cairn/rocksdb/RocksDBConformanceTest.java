package dev.cairn.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;

/** The RocksDB backend against the whole conformance suite. */
class RocksDBConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return EmbeddedRocksDBStateBackend::new;
    }
}

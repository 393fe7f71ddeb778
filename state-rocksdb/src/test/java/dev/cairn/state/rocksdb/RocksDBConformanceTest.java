package dev.cairn.state.rocksdb;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;

/** The RocksDB backend against the whole conformance suite. */
class RocksDBConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return EmbeddedRocksDBStateBackend::new;
    }
}

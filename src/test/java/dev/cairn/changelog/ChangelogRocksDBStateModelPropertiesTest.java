package dev.cairn.changelog;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.ChangelogFixtures;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;

/** RocksDB wrapped in the changelog backend (file-system changelog) against the random-operation model. */
class ChangelogRocksDBStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return ChangelogFixtures.onFileSystem(EmbeddedRocksDBStateBackend::new);
    }
}

package dev.cairn.state.rocksdb;

/** RocksDB backends with the object cache on, for the suites that run with it. */
final class RocksDBCacheFixtures {
    private RocksDBCacheFixtures() {}

    static EmbeddedRocksDBStateBackend cached(int maxEntries) {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setCacheMaxEntries(maxEntries);
        return backend;
    }
}

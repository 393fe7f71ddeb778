package dev.cairn.differential;

/** {@link Variant#ROCKSDB_CACHED} against Flink 2.3's heap backend. */
class RocksDBCachedDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.ROCKSDB_CACHED;
    }
}

package dev.cairn.differential;

/** {@link Variant#ROCKSDB_INCREMENTAL} against Flink 2.3's heap backend. */
class RocksDBIncrementalDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.ROCKSDB_INCREMENTAL;
    }
}

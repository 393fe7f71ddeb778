package dev.cairn.differential;

/** {@link Variant#ROCKSDB} against Flink 2.3's heap backend. */
class RocksDBDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.ROCKSDB;
    }
}

package dev.cairn.differential;

/** {@link Variant#ROCKSDB_TINY_CACHE} against Flink 2.3's heap backend. */
class RocksDBTinyCacheDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.ROCKSDB_TINY_CACHE;
    }
}

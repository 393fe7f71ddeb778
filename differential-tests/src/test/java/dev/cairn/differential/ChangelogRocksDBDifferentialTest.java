package dev.cairn.differential;

/** {@link Variant#CHANGELOG_ROCKSDB} against Flink 2.3's heap backend. */
class ChangelogRocksDBDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.CHANGELOG_ROCKSDB;
    }
}

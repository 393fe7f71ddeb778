package dev.cairn.differential;

/** {@link Variant#ROCKSDB_HEAP_TIMERS} against Flink 2.3's heap backend. */
class RocksDBHeapTimersDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.ROCKSDB_HEAP_TIMERS;
    }
}

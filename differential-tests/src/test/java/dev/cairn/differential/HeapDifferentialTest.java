package dev.cairn.differential;

/** {@link Variant#HEAP} against Flink 2.3's heap backend. */
class HeapDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.HEAP;
    }
}

package dev.cairn.differential;

/** {@link Variant#CHANGELOG_HEAP} against Flink 2.3's heap backend. */
class ChangelogHeapDifferentialTest extends DifferentialProperties {
    @Override
    Variant variant() {
        return Variant.CHANGELOG_HEAP;
    }
}

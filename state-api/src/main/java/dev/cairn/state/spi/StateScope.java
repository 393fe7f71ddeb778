package dev.cairn.state.spi;

/** Who owns a snapshot file. */
public enum StateScope {
    /** Belongs to exactly one checkpoint; deleted with it. */
    EXCLUSIVE,
    /** May be referenced by several checkpoints (incremental state); reference-counted. */
    SHARED
}

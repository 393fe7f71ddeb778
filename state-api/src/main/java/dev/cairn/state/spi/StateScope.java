package dev.cairn.state.spi;

/** Who owns a snapshot file. */
public enum StateScope {
    /** Belongs to exactly one checkpoint; deleted with it. */
    EXCLUSIVE,
    /** May be referenced by several checkpoints (incremental state); reference-counted. */
    SHARED,
    /**
     * Written in the background by a changelog backend (change segments, materialized snapshots) outside any
     * checkpoint's directory: owned by the writer until a completed checkpoint references it, then
     * reference-counted like {@link #SHARED} — but never deleted because a checkpoint that referenced it failed,
     * since the writer still needs it for the next checkpoint.
     */
    CHANGELOG
}

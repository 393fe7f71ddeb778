package dev.cairn.state.spi;

/**
 * What kind of snapshot to take.
 *
 * @param type checkpoint (may use a backend's native format) or savepoint (always the canonical format)
 */
public record SnapshotOptions(SnapshotType type) {

    /** The kind of snapshot. */
    public enum SnapshotType {
        /** A checkpoint: owned by the system, may use the backend's native format. */
        CHECKPOINT,
        /** A savepoint: owned by the user, always in the portable canonical format. */
        SAVEPOINT
    }

    /**
     * Checks that the type is given.
     *
     * @param type checkpoint or savepoint
     */
    public SnapshotOptions {
        java.util.Objects.requireNonNull(type, "type");
    }

    /**
     * Options of a checkpoint.
     *
     * @return the options
     */
    public static SnapshotOptions checkpoint() {
        return new SnapshotOptions(SnapshotType.CHECKPOINT);
    }

    /**
     * Options of a savepoint.
     *
     * @return the options
     */
    public static SnapshotOptions savepoint() {
        return new SnapshotOptions(SnapshotType.SAVEPOINT);
    }

    /**
     * Whether a savepoint is asked for.
     *
     * @return whether the type is {@link SnapshotType#SAVEPOINT}
     */
    public boolean isSavepoint() {
        return type == SnapshotType.SAVEPOINT;
    }
}

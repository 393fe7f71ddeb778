package dev.cairn.state;

/** A checkpoint or savepoint could not be taken, completed or restored. */
public class CheckpointException extends StateBackendException {
    private static final long serialVersionUID = 1L;

    /** Why a checkpoint failed. */
    public enum Reason {
        /** A backend's snapshot failed while writing its data. */
        SNAPSHOT_FAILED,
        /** The checkpoint was cancelled or aborted before it completed. */
        ABORTED,
        /** Too many checkpoints are already in progress. */
        TOO_MANY_CONCURRENT_CHECKPOINTS,
        /** The checkpoint storage rejected the data (full, unreachable, too large). */
        STORAGE_FAILURE,
        /** Restoring from a checkpoint or savepoint failed. */
        RESTORE_FAILED,
        /** The backend was closed while the checkpoint was running. */
        BACKEND_CLOSED
    }

    private final Reason reason;

    /**
     * A checkpoint or restore failure.
     *
     * @param reason why it failed
     * @param message what failed, naming the checkpoint, operator or path
     */
    public CheckpointException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * A checkpoint or restore failure with its cause.
     *
     * @param reason why it failed
     * @param message what failed, naming the checkpoint, operator or path
     * @param cause the underlying error
     */
    public CheckpointException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@return the failure's category} */
    public Reason reason() {
        return reason;
    }
}

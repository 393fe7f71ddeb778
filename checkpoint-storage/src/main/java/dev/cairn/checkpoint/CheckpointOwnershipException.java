package dev.cairn.checkpoint;

/**
 * Another process owns the checkpoint directory: it holds its {@link OwnershipLease}, or took it over from this
 * one. The message names the directory, the owner (id, host, process id) and how to proceed.
 */
public class CheckpointOwnershipException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Another process owns the checkpoint directory, or this one lost it.
     *
     * @param message the directory and the owner
     */
    public CheckpointOwnershipException(String message) {
        super(message);
    }

    /**
     * Another process owns the checkpoint directory, or this one lost it; with the cause.
     *
     * @param message the directory and the owner
     * @param cause the underlying error
     */
    public CheckpointOwnershipException(String message, Throwable cause) {
        super(message, cause);
    }
}

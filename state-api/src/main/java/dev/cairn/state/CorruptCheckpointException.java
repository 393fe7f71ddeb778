package dev.cairn.state;

/**
 * Checkpointed bytes fail verification: a checksum mismatch, a truncated file, or a structure that cannot be
 * parsed. The message names the file (or stream) and, for checksums, the expected and actual values. Cairn
 * never restores from data that raised this exception.
 */
public class CorruptCheckpointException extends CheckpointException {
    private static final long serialVersionUID = 1L;

    /**
     * Checkpoint data that cannot be read.
     *
     * @param message what is damaged, naming the file or handle
     */
    public CorruptCheckpointException(String message) {
        super(Reason.RESTORE_FAILED, message);
    }

    /**
     * Checkpoint data that cannot be read, with the underlying error.
     *
     * @param message what is damaged, naming the file or handle
     * @param cause the underlying error
     */
    public CorruptCheckpointException(String message, Throwable cause) {
        super(Reason.RESTORE_FAILED, message, cause);
    }
}

package dev.cairn.state;

/**
 * A function with operator state it manages itself: {@link #initializeState} on start (restored or not),
 * {@link #snapshotState} before every checkpoint, on the processing thread.
 */
public interface CheckpointedFunction {
    /**
     * Moves the function's in-memory data into its operator state for checkpoint {@code context}.
     *
     * @param context the checkpoint being taken
     * @throws Exception when the state cannot be written; the checkpoint fails
     */
    void snapshotState(FunctionSnapshotContext context) throws Exception;

    /**
     * Creates (and, after a restore, reads) the function's state.
     *
     * @param context access to the operator state, and whether it was restored
     * @throws Exception when the state cannot be created or read; the start fails
     */
    void initializeState(FunctionInitializationContext context) throws Exception;

    /** What {@link #snapshotState} learns about the checkpoint. */
    interface FunctionSnapshotContext {
        /** {@return the id of the checkpoint being taken} */
        long getCheckpointId();

        /** {@return the time the checkpoint was triggered, in milliseconds since the epoch} */
        long getCheckpointTimestamp();
    }

    /** What {@link #initializeState} gets. */
    interface FunctionInitializationContext {
        /** {@return whether state was restored from a checkpoint or savepoint} */
        boolean isRestored();

        /** {@return the operator state of this function's operator instance} */
        OperatorStateStore getOperatorStateStore();
    }
}

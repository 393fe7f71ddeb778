package dev.cairn.state;

/**
 * A function with operator state it manages itself: {@link #initializeState} on start (restored or not),
 * {@link #snapshotState} before every checkpoint, on the processing thread.
 */
public interface CheckpointedFunction {
    /** Moves the function's in-memory data into its operator state for checkpoint {@code context}. */
    void snapshotState(FunctionSnapshotContext context) throws Exception;

    /** Creates (and, after a restore, reads) the function's state. */
    void initializeState(FunctionInitializationContext context) throws Exception;

    /** What {@link #snapshotState} learns about the checkpoint. */
    interface FunctionSnapshotContext {
        long getCheckpointId();

        long getCheckpointTimestamp();
    }

    /** What {@link #initializeState} gets. */
    interface FunctionInitializationContext {
        /** Whether state was restored from a checkpoint or savepoint. */
        boolean isRestored();

        OperatorStateStore getOperatorStateStore();
    }
}

package dev.cairn.state.spi;

import dev.cairn.state.OperatorStateStore;
import java.util.concurrent.RunnableFuture;

/** The operator (non-keyed) state of one operator instance, snapshottable. */
public interface OperatorStateBackend extends OperatorStateStore, AutoCloseable {
    /**
     * Whether any state was restored.
     *
     * @return whether the backend was created with operator state to restore
     */
    boolean isRestored();

    /**
     * Snapshots all operator state: the synchronous part copies the state (operator state is small by design),
     * the future writes it.
     *
     * @param checkpointId the checkpoint's id
     * @param timestamp the checkpoint's time, in epoch milliseconds
     * @param streamFactory where the bytes go
     * @param options checkpoint or savepoint
     * @return the asynchronous part; its result holds the handle, or none when there is no state
     * @throws Exception if the synchronous part fails
     */
    RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options)
            throws Exception;

    /** Releases the backend; its states must not be used afterwards. */
    @Override
    void close();
}

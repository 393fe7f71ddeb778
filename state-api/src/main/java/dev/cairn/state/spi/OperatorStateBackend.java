package dev.cairn.state.spi;

import dev.cairn.state.OperatorStateStore;
import java.util.concurrent.RunnableFuture;

/** The operator (non-keyed) state of one operator instance, snapshottable. */
public interface OperatorStateBackend extends OperatorStateStore, AutoCloseable {
    /** Whether any state was restored. */
    boolean isRestored();

    /**
     * Snapshots all operator state: the synchronous part copies the state (operator state is small by design),
     * the future writes it.
     */
    RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options)
            throws Exception;

    @Override
    void close();
}

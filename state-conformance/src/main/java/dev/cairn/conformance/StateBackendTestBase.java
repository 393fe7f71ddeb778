package dev.cairn.conformance;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.Serializers;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Shared plumbing of the conformance tests: creating, snapshotting, restoring and closing keyed backends. */
public abstract class StateBackendTestBase {
    protected static final int MAX_PARALLELISM = KeyGroupRangeAssignment.DEFAULT_MAX_PARALLELISM;

    private final List<CheckpointableKeyedStateBackend<?>> created = new ArrayList<>();
    protected StateBackend stateBackend;
    protected CheckpointStreamFactory streamFactory;
    private long nextCheckpointId = 1;

    /** The backend under test. */
    protected abstract BackendFixture fixture();

    @BeforeEach
    void createFixture() {
        stateBackend = fixture().createStateBackend();
        streamFactory = fixture().createStreamFactory();
    }

    @AfterEach
    void closeBackends() {
        for (CheckpointableKeyedStateBackend<?> backend : created) {
            backend.close();
        }
        created.clear();
    }

    /** A backend with String keys over all key groups. */
    protected CheckpointableKeyedStateBackend<String> createBackend() {
        return createBackend(KeyedBackendParameters.builder(Serializers.STRING).build());
    }

    protected <K> CheckpointableKeyedStateBackend<K> createBackend(KeyedBackendParameters<K> parameters) {
        CheckpointableKeyedStateBackend<K> backend = stateBackend.createKeyedStateBackend(parameters);
        created.add(backend);
        return backend;
    }

    /** Restores {@code handles} into a backend owning {@code range}. */
    protected <K> CheckpointableKeyedStateBackend<K> restoreBackend(
            TypeSerializer<K> keySerializer, List<KeyedStateHandle> handles, KeyGroupRange range) {
        return createBackend(KeyedBackendParameters.builder(keySerializer)
                .keyGroupRange(range)
                .restoreFrom(handles)
                .build());
    }

    /** Restores {@code handles} into a String-keyed backend owning all key groups. */
    protected CheckpointableKeyedStateBackend<String> restoreBackend(List<KeyedStateHandle> handles) {
        return restoreBackend(Serializers.STRING, handles, KeyGroupRange.of(0, MAX_PARALLELISM - 1));
    }

    /**
     * Both parts of a checkpoint, on this thread, then the completion notification (every finished snapshot is a
     * completed checkpoint here, so incremental backends reuse its files); the handle, or {@code null} for no state.
     */
    protected KeyedStateHandle snapshot(CheckpointableKeyedStateBackend<?> backend) throws Exception {
        return snapshot(backend, SnapshotOptions.checkpoint());
    }

    protected KeyedStateHandle snapshot(CheckpointableKeyedStateBackend<?> backend, SnapshotOptions options)
            throws Exception {
        long checkpointId = nextCheckpointId;
        RunnableFuture<SnapshotResult<KeyedStateHandle>> future = startSnapshot(backend, options);
        future.run();
        KeyedStateHandle handle = future.get().getHandle();
        backend.notifyCheckpointComplete(checkpointId);
        return handle;
    }

    /** Only the synchronous part; the caller runs or cancels the future. */
    protected RunnableFuture<SnapshotResult<KeyedStateHandle>> startSnapshot(
            CheckpointableKeyedStateBackend<?> backend, SnapshotOptions options) throws Exception {
        return backend.snapshot(nextCheckpointId++, System.currentTimeMillis(), streamFactory, options);
    }

    /** A list holding the handle, or an empty list when the snapshot had no state. */
    protected static List<KeyedStateHandle> handles(KeyedStateHandle handle) {
        return handle == null ? List.of() : List.of(handle);
    }

    /** Round trip: snapshot and restore into a new backend with the same range. */
    protected CheckpointableKeyedStateBackend<String> snapshotAndRestore(
            CheckpointableKeyedStateBackend<String> backend) throws Exception {
        return restoreBackend(handles(snapshot(backend)));
    }

    /** Instance {@code index} of {@code parallelism}'s key-group range. */
    protected static KeyGroupRange rangeOf(int index, int parallelism) {
        return KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, index);
    }

    /** The instance of {@code parallelism} that owns {@code key}. */
    protected static int ownerOf(Object key, int parallelism) {
        return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                MAX_PARALLELISM, parallelism, KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM));
    }
}

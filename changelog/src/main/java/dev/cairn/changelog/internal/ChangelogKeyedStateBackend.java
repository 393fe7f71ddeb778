package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.KeyAndNamespace;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.WrappableKeyedStateBackend;
import dev.cairn.state.support.AbstractKeyedStateBackend;
import dev.cairn.state.support.InFlightSnapshots;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed backend of {@link ChangelogStateBackend}: a wrapped backend whose every state change is also recorded
 * in a changelog.
 *
 * <p><b>Design.</b> The TTL decorators sit on top (this class is an {@link AbstractKeyedStateBackend}); below them
 * each state of the wrapped backend is wrapped by a recorder that changes the wrapped state, then appends a
 * compact change record to the {@link ChangelogWriter}. A checkpoint's synchronous part only seals the writer's
 * buffer and notes the latest materialization (O(1)); its asynchronous part uploads the segments not uploaded yet
 * — usually just the tail, as bigger runs are uploaded pre-emptively — and returns a
 * {@link dev.cairn.changelog.ChangelogStateBackendHandle}: materialized snapshot + segments since. A <em>materialization</em>
 * ({@link #materialize()}, periodically every {@code state.changelog.periodic-materialize.interval}) snapshots the
 * wrapped backend in the background; once a checkpoint that includes it completes, the changelog before it is
 * truncated. A new materialization starts only after the previous one was confirmed that way, so no
 * materialization is ever superseded unreferenced.
 *
 * <p>The parts: {@link ChangelogStateRegistry} (the recording wrappers), {@link MaterializationManager}
 * (materializations, with an injected clock and executor), {@link ChangelogCheckpoints} (checkpoint assembly and
 * confirmation) and {@link ChangelogRestoreOperation} (restore and replay); this class connects them to the keyed
 * backend contract.
 *
 * <p>Restore: the wrapped backend restores the materialized parts, then the changes are replayed for this range.
 * The first checkpoint after a restore starts a materialization and waits for it, so checkpoints of this backend
 * never reference the files of the restored checkpoint (which may be owned by another job in {@code NO_CLAIM}
 * mode), and the state conversions of the application's registrations are materialized.
 *
 * <p><b>Threading.</b> State access, checkpoint triggering and {@link #materialize()} on the task thread;
 * periodic materialization is started from the task thread too (checked every 1024 key changes and at every
 * checkpoint); uploads and the materialization's asynchronous part on background threads.
 *
 * <p><b>Caveats:</b> savepoints are the wrapped backend's canonical savepoints. Incremental TTL cleanup of the
 * wrapped backend removes expired entries without recording them, so after a recovery such an entry may be back —
 * still expired.
 *
 * @param <K> key type
 */
public final class ChangelogKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> implements ChangeContext {
    private static final Logger LOG = LoggerFactory.getLogger(ChangelogKeyedStateBackend.class);

    private final WrappableKeyedStateBackend<K> inner;
    private final ChangelogWriter writer;
    private final ChangelogStateRegistry<K> states;
    private final MaterializationManager materializations;
    private final ChangelogCheckpoints checkpoints;
    /** The materialization threads this backend created (and shuts down), or {@code null} when injected. */
    private final ExecutorService ownMaterializer;

    private final InFlightSnapshots inFlight = new InFlightSnapshots();
    private final dev.cairn.state.support.DataOutputSerializer keyBuffer =
            new dev.cairn.state.support.DataOutputSerializer(32);
    /** Whether {@link #keyBuffer} holds the current key, serialized. */
    private boolean currentKeySerialized;

    private long keyChanges;
    private volatile boolean closed;

    /**
     * A changelog backend around {@code delegate}'s keyed backend, restored from the parameters' handles.
     *
     * @param parameters the keyed backend's parameters
     * @param delegate the wrapped backend
     * @param storage where changes and materializations go
     * @param settings materialization settings
     * @param clock decides when periodic materialization is due
     * @param materializer runs materializations' asynchronous parts, or {@code null} for a thread of this backend
     */
    public ChangelogKeyedStateBackend(
            KeyedBackendParameters<K> parameters,
            StateBackend delegate,
            StateChangelogStorage storage,
            ChangelogStateBackend.Settings settings,
            Clock clock,
            Executor materializer) {
        super(parameters);
        this.writer = new ChangelogWriter(
                storage,
                settings.preemptivePersistThreshold(),
                ChangeFormat.keysEntry(numberOfKeyGroups, keySerializer));
        this.ownMaterializer = materializer == null ? materializationThread(operatorIdentifier) : null;
        List<KeyedStateHandle> handles = parameters.getRestoreHandles();
        CheckpointableKeyedStateBackend<K> restored =
                ChangelogRestoreOperation.restoreAndReplay(delegate, parameters, handles);
        try {
            this.inner = ChangelogReplay.wrappable(restored);
        } catch (IllegalStateException e) {
            restored.close();
            throw e;
        }
        this.states = new ChangelogStateRegistry<>(inner, this, writer, keySerializer, numberOfKeyGroups);
        this.materializations = new MaterializationManager(
                operatorIdentifier,
                inner,
                storage.materializationStreams(),
                writer,
                settings,
                clock,
                materializer != null ? materializer : ownMaterializer,
                parameters.getMetricGroup());
        // Checkpoints of a restored backend must not reference the restored files: the first one waits for a
        // materialization of this backend, which it starts itself — after the application registered its states,
        // so that what registration converted (TTL switched on or off, migrated serializers) is materialized.
        this.checkpoints =
                new ChangelogCheckpoints(writer, materializations, keyGroupRange, inFlight, !handles.isEmpty());
    }

    private static ExecutorService materializationThread(String operator) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "cairn-changelog-materialize-" + operator);
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The wrapped backend. */
    public CheckpointableKeyedStateBackend<K> getDelegate() {
        return inner;
    }

    @Override
    public ChangelogWriter writer() {
        return writer;
    }

    @Override
    public int currentKeyGroup() {
        return getCurrentKeyGroupIndex();
    }

    @Override
    public dev.cairn.state.support.DataOutputSerializer currentKey() {
        if (!currentKeySerialized) {
            keyBuffer.clear();
            try {
                keySerializer.serialize(getCurrentKey(), keyBuffer);
            } catch (IOException e) {
                throw new StateBackendException("Cannot serialize key " + getCurrentKey(), e);
            }
            currentKeySerialized = true;
        }
        return keyBuffer;
    }

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        checkHealthy();
        inner.setCurrentKey(key);
        currentKeySerialized = false;
        if ((++keyChanges & 1023) == 0) {
            materializations.materializeIfDue();
        }
    }

    private void checkHealthy() {
        materializations.checkHealthy();
        if (closed) {
            throw new IllegalStateException("The changelog backend of '" + operatorIdentifier + "' is closed");
        }
    }

    /**
     * Starts a materialization: the wrapped backend's synchronous snapshot part runs here (call on the task
     * thread), the rest in the background. Does nothing while one is running or the previous one is not yet part
     * of a completed checkpoint.
     *
     * @return whether a materialization started
     */
    public boolean materialize() {
        checkHealthy();
        return materializations.materialize();
    }

    /**
     * A future that completes when the materialization running now has ended, successfully or not (its outcome is
     * in {@link #latestMaterializationId()} and the failure count); an already completed one when none runs. For
     * tests and tooling that must wait for a materialization instead of polling.
     *
     * @return the future
     */
    public CompletableFuture<Void> runningMaterialization() {
        return materializations.running();
    }

    /**
     * The id of the last materialization a completed checkpoint includes; for tests and metrics.
     *
     * @return the id, 0 for none
     */
    public long confirmedMaterializationId() {
        return materializations.confirmedId();
    }

    /**
     * The id of the last materialization that finished, confirmed or not; for tests and metrics.
     *
     * @return the id, 0 for none
     */
    public long latestMaterializationId() {
        return materializations.latestId();
    }

    /**
     * Change segments not truncated yet; for tests.
     *
     * @return their number
     */
    public int changelogSegments() {
        return writer.segmentCount();
    }

    @Override
    protected Runnable ttlCleanup(String stateName, StateTtlConfig ttl) {
        return inner.incrementalTtlCleanup(stateName, ttl);
    }

    /**
     * One recording wrapper per state, around the wrapped backend's state object; the application's registration
     * goes through the wrapped backend's checks for restored state (the replay left its states that way).
     */
    @Override
    protected <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        checkHealthy();
        return states.state(namespaceSerializer, descriptor, ttl);
    }

    @Override
    protected void onTreatAsRestored(String stateName) {
        throw new UnsupportedOperationException("The changelog backend is not wrapped by another backend");
    }

    @Override
    public <N> KeyGroupedTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        checkHealthy();
        return states.timerQueue(name, namespaceSerializer);
    }

    @Override
    public <N> Stream<K> getKeys(String stateName, N namespace) {
        return inner.getKeys(stateName, namespace);
    }

    @Override
    public <N> Stream<KeyAndNamespace<K, N>> getKeysAndNamespaces(String stateName) {
        return inner.getKeysAndNamespaces(stateName);
    }

    @Override
    public int numKeyValueStateEntries() {
        return inner.numKeyValueStateEntries();
    }

    /**
     * A checkpoint (changelog handle, see {@link ChangelogCheckpoints}) or savepoint (the wrapped backend's
     * canonical one).
     */
    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options)
            throws Exception {
        checkHealthy();
        if (options.isSavepoint()) {
            return inner.snapshot(checkpointId, timestamp, streamFactory, options);
        }
        materializations.materializeIfDue();
        return checkpoints.snapshot(checkpointId, operatorIdentifier);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Materialization confirmedNow = checkpoints.completed(checkpointId);
        if (confirmedNow != null) {
            writer.truncate(confirmedNow.sequence);
            inner.notifyCheckpointComplete(confirmedNow.id); // lets an incremental wrapped backend reuse files
            LOG.debug(
                    "Materialization {} of '{}' confirmed by checkpoint {}",
                    confirmedNow.id,
                    operatorIdentifier,
                    checkpointId);
        }
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        checkpoints.aborted(checkpointId);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        materializations.close();
        inFlight.cancelAll();
        clearRegistrations();
        if (ownMaterializer != null) {
            ownMaterializer.shutdownNow(); // a running materialization is interrupted; let it stop before the close
            try {
                if (!ownMaterializer.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("A materialization of '{}' did not stop within 10 s of close", operatorIdentifier);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inner.close();
    }

    @Override
    public String toString() {
        return "ChangelogKeyedStateBackend{" + inner + "}";
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
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
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.InFlightSnapshots;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * {@link ChangelogStateBackendHandle}: materialized snapshot + segments since. A <em>materialization</em>
 * ({@link #materialize()}, periodically every {@code state.changelog.periodic-materialize.interval}) snapshots the
 * wrapped backend in the background; once a checkpoint that includes it completes, the changelog before it is
 * truncated. A new materialization starts only after the previous one was confirmed that way, so no
 * materialization is ever superseded unreferenced.
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

    /** A snapshot of the wrapped backend and the sequence number its changes end at. */
    private static final class Materialization {
        final long id;
        final long sequence;
        final List<KeyedStateHandle> handles;
        final long size;
        boolean confirmed;
        boolean includedBefore;

        Materialization(long id, long sequence, List<KeyedStateHandle> handles) {
            this.id = id;
            this.sequence = sequence;
            this.handles = handles;
            this.size =
                    handles.stream().mapToLong(KeyedStateHandle::getStateSize).sum();
        }
    }

    private record StateEntry(int id, AbstractChangelogState<?> wrapper, StateDescriptor<?, ?> descriptor) {}

    private final CheckpointableKeyedStateBackend<K> inner;
    private final StateChangelogStorage storage;
    private final ChangelogStateBackend.Settings settings;
    private final ChangelogWriter writer;
    private final ExecutorService materializer;
    private final Map<String, StateEntry> states = new HashMap<>();
    private final Map<String, ChangelogTimerQueue<K, ?>> timerQueues = new HashMap<>();
    private final InFlightSnapshots inFlight = new InFlightSnapshots();
    private final TreeMap<Long, Object> pendingCheckpoints = new TreeMap<>(); // id -> Materialization or future
    private final dev.cairn.state.support.DataOutputSerializer keyBuffer =
            new dev.cairn.state.support.DataOutputSerializer(32);
    private byte[] currentKeyBytes;
    private long keyChanges;
    /** Reads the time for periodic materialization; injected through {@link ChangelogStateBackend#withClock}. */
    private final java.time.Clock clock;

    private long nextMaterializationMillis;
    private long materializationCounter;
    private Materialization latest;
    private CompletableFuture<Materialization> running;
    /** The sequence number the running materialization's changes end at. */
    private long runningSequence;

    private int consecutiveFailures;
    private volatile StateBackendException fatal;
    private boolean closed;
    /** Restored: checkpoints must include a materialization of this backend (not the restored files). */
    private final boolean restored;

    /**
     * A changelog backend around {@code delegate}'s keyed backend, restored from the parameters' handles.
     *
     * @param parameters the keyed backend's parameters
     * @param delegate the wrapped backend
     * @param storage where changes and materializations go
     * @param settings materialization settings
     * @param clock decides when periodic materialization is due
     */
    public ChangelogKeyedStateBackend(
            KeyedBackendParameters<K> parameters,
            StateBackend delegate,
            StateChangelogStorage storage,
            ChangelogStateBackend.Settings settings,
            java.time.Clock clock) {
        super(parameters);
        this.storage = storage;
        this.settings = settings;
        this.writer = new ChangelogWriter(
                storage,
                settings.preemptivePersistThreshold(),
                ChangeFormat.keysEntry(numberOfKeyGroups, keySerializer));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "cairn-changelog-materialize-" + operatorIdentifier);
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        this.materializer = pool;
        List<KeyedStateHandle> handles = parameters.getRestoreHandles();
        this.inner = ChangelogRestoreOperation.restoreAndReplay(delegate, parameters, handles);
        this.clock = clock;
        this.nextMaterializationMillis =
                clock.millis() + settings.materializationInterval().toMillis();
        // Checkpoints of a restored backend must not reference the restored files: the first one waits for a
        // materialization of this backend, which it starts itself — after the application registered its states,
        // so that what registration converted (TTL switched on or off, migrated serializers) is materialized.
        this.restored = !handles.isEmpty();
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
    public byte[] currentKeyBytes() {
        if (currentKeyBytes == null) {
            keyBuffer.clear();
            try {
                keySerializer.serialize(getCurrentKey(), keyBuffer);
            } catch (IOException e) {
                throw new StateBackendException("Cannot serialize key " + getCurrentKey(), e);
            }
            currentKeyBytes = keyBuffer.toByteArray();
        }
        return currentKeyBytes;
    }

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        checkHealthy();
        inner.setCurrentKey(key);
        currentKeyBytes = null;
        if ((++keyChanges & 1023) == 0) {
            materializeIfDue();
        }
    }

    private void checkHealthy() {
        if (fatal != null) {
            throw fatal;
        }
        if (closed) {
            throw new IllegalStateException("The changelog backend of '" + operatorIdentifier + "' is closed");
        }
    }

    private void materializeIfDue() {
        if (settings.periodicMaterialization() && clock.millis() >= nextMaterializationMillis) {
            nextMaterializationMillis =
                    clock.millis() + settings.materializationInterval().toMillis();
            materialize();
        }
    }

    /**
     * Starts a materialization: the wrapped backend's synchronous snapshot part runs here (call on the task
     * thread), the rest in the background. Does nothing while one is running or the previous one is not yet part
     * of a completed checkpoint.
     *
     * @return whether a materialization started
     */
    public synchronized boolean materialize() {
        checkHealthy();
        if (running != null || (latest != null && !latest.confirmed)) {
            return false;
        }
        long id = ++materializationCounter;
        writer.rollover();
        long sequence = writer.nextSequence();
        RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot;
        try {
            snapshot =
                    inner.snapshot(id, clock.millis(), storage.materializationStreams(), SnapshotOptions.checkpoint());
        } catch (Exception e) {
            materializationFailed(id, e);
            return false;
        }
        CompletableFuture<Materialization> future = new CompletableFuture<>();
        running = future;
        runningSequence = sequence;
        materializer.execute(() -> {
            try {
                snapshot.run();
                KeyedStateHandle handle = snapshot.get().getHandle();
                Materialization done = new Materialization(id, sequence, handle == null ? List.of() : List.of(handle));
                synchronized (this) {
                    latest = done;
                    running = null;
                    consecutiveFailures = 0;
                }
                LOG.debug("Materialization {} of '{}' done ({} bytes)", id, operatorIdentifier, done.size);
                future.complete(done);
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                synchronized (this) {
                    running = null;
                }
                materializationFailed(id, cause);
                future.completeExceptionally(cause);
            }
        });
        return true;
    }

    private synchronized void materializationFailed(long id, Throwable cause) {
        if (closed) {
            LOG.debug("Materialization {} of '{}' stopped by close", id, operatorIdentifier, cause);
            return;
        }
        consecutiveFailures++;
        nextMaterializationMillis = clock.millis(); // retry at the next opportunity
        LOG.warn(
                "Materialization {} of '{}' failed ({} in a row, {} allowed)",
                id,
                operatorIdentifier,
                consecutiveFailures,
                settings.maxFailures(),
                cause);
        if (consecutiveFailures > settings.maxFailures()) {
            fatal = new StateBackendException(
                    "Materializing the changelog backend of '" + operatorIdentifier
                            + "' failed " + consecutiveFailures + " times in a row ("
                            + StateChangelogOptions.MATERIALIZATION_MAX_FAILURES_ALLOWED.key() + " is "
                            + settings.maxFailures() + "): " + cause.getMessage(),
                    cause);
        }
    }

    /**
     * A future that completes when the materialization running now has ended, successfully or not (its outcome is
     * in {@link #latestMaterializationId()} and the failure count); an already completed one when none runs. For
     * tests and tooling that must wait for a materialization instead of polling.
     */
    public synchronized CompletableFuture<Void> runningMaterialization() {
        return running == null ? CompletableFuture.completedFuture(null) : running.handle((done, failure) -> null);
    }

    /** The id of the last materialization a completed checkpoint includes (0 for none); for tests and metrics. */
    public synchronized long confirmedMaterializationId() {
        return latest != null && latest.confirmed ? latest.id : 0;
    }

    /** The id of the last materialization that finished (confirmed or not; 0 for none); for tests and metrics. */
    public synchronized long latestMaterializationId() {
        return latest != null ? latest.id : 0;
    }

    /** Change segments not truncated yet; for tests. */
    public int changelogSegments() {
        return writer.segmentCount();
    }

    @Override
    protected Runnable ttlCleanup(String stateName, StateTtlConfig ttl) {
        return inner instanceof WrappableKeyedStateBackend<K> base
                ? base.incrementalTtlCleanup(stateName, ttl)
                : () -> {};
    }

    /**
     * One recording wrapper per state, around the wrapped backend's state object; the application's registration
     * goes through the wrapped backend's checks for restored state (the replay left its states that way).
     */
    @Override
    @SuppressWarnings("unchecked")
    protected <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        checkHealthy();
        StateEntry entry = states.get(descriptor.getName());
        if (entry == null) {
            if (!(inner instanceof WrappableKeyedStateBackend<K> base)) {
                throw new IllegalStateException(
                        "The changelog backend wraps backends that implement WrappableKeyedStateBackend only, not "
                                + inner.getClass().getName());
            }
            InternalKvState<N> wrapped = base.getOrCreateInternalState(namespaceSerializer, descriptor, ttl);
            int id = writer.registerState(ChangeFormat.metaEntry(
                    ChangeFormat.KIND_STATE, StateMetaInfo.of(descriptor, namespaceSerializer), ttl));
            entry = new StateEntry(id, wrapper(id, descriptor, namespaceSerializer, wrapped), descriptor);
            states.put(descriptor.getName(), entry);
        }
        return (InternalKvState<N>) entry.wrapper();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <N> AbstractChangelogState<N> wrapper(
            int id,
            StateDescriptor<?, ?> descriptor,
            TypeSerializer<N> namespaceSerializer,
            InternalKvState<N> wrapped) {
        return switch (descriptor.getType()) {
            case VALUE -> new ChangelogValueState<>(this, id, namespaceSerializer, descriptor.getSerializer(), wrapped);
            case LIST ->
                new ChangelogListState<>(
                        this,
                        id,
                        namespaceSerializer,
                        ((ListStateDescriptor) descriptor).getElementSerializer(),
                        wrapped);
            case MAP ->
                new ChangelogMapState<>(
                        this,
                        id,
                        namespaceSerializer,
                        ((MapStateDescriptor) descriptor).getKeySerializer(),
                        ((MapStateDescriptor) descriptor).getValueSerializer(),
                        wrapped);
            case REDUCING ->
                new ChangelogReducingState<>(
                        this,
                        id,
                        namespaceSerializer,
                        ((ReducingStateDescriptor) descriptor).getReduceFunction(),
                        descriptor.getSerializer(),
                        wrapped);
            case AGGREGATING ->
                new ChangelogAggregatingState<>(
                        this,
                        id,
                        namespaceSerializer,
                        ((AggregatingStateDescriptor) descriptor).getAggregateFunction(),
                        descriptor.getSerializer(),
                        wrapped);
            case TIMERS -> throw new IllegalArgumentException("Timer queues come from createTimerQueue");
        };
    }

    @Override
    protected void onTreatAsRestored(String stateName) {
        throw new UnsupportedOperationException("The changelog backend is not wrapped by another backend");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> KeyGroupedTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        checkHealthy();
        ChangelogTimerQueue<K, N> queue = (ChangelogTimerQueue<K, N>) timerQueues.get(name);
        KeyGroupedTimerQueue<K, N> wrapped = inner.createTimerQueue(name, namespaceSerializer);
        if (queue == null || queue.inner() != wrapped) {
            int id = writer.registerState(ChangeFormat.metaEntry(
                    ChangeFormat.KIND_TIMERS,
                    new StateMetaInfo(
                            name, StateDescriptor.Type.TIMERS, namespaceSerializer.snapshotConfiguration(), List.of()),
                    null));
            queue = new ChangelogTimerQueue<>(
                    wrapped, writer, id, keySerializer, namespaceSerializer, numberOfKeyGroups);
            timerQueues.put(name, queue);
        }
        return queue;
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
     * A checkpoint (changelog handle) or savepoint (the wrapped backend's canonical one). The synchronous part
     * seals the change buffer and notes the latest materialization; the asynchronous part uploads what is missing.
     */
    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options)
            throws Exception {
        checkHealthy();
        if (options.isSavepoint()) {
            return inner.snapshot(checkpointId, timestamp, streamFactory, options);
        }
        materializeIfDue();
        Materialization materialization;
        CompletableFuture<Materialization> awaited = null;
        long awaitedSequence = 0;
        synchronized (this) {
            materialization = latest;
            if (latest == null && restored) {
                // After a restore, checkpoints wait for the first materialization of this backend.
                if (running == null) {
                    materialize();
                }
                awaited = running;
                awaitedSequence = runningSequence;
                if (awaited == null) {
                    throw new CheckpointException(
                            CheckpointException.Reason.SNAPSHOT_FAILED,
                            "The changelog backend of '" + operatorIdentifier + "' could not start the"
                                    + " materialization its first checkpoint after a restore needs");
                }
            }
            pendingCheckpoints.put(checkpointId, awaited != null ? awaited : materialization);
        }
        // Segments before the materialization the checkpoint includes are neither uploaded nor referenced by it.
        long fromSequence =
                awaited != null ? awaitedSequence : (materialization != null ? materialization.sequence : 0);
        List<ChangelogWriter.SealedSegment> captured = writer.capture(checkpointId, fromSequence);
        CompletableFuture<Materialization> awaitedMaterialization = awaited;
        // Segments are shared by later checkpoints and the materialization by other checkpoints: a cancelled
        // checkpoint has nothing of its own to delete.
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> {
                            Materialization included = materialization;
                            if (awaitedMaterialization != null) {
                                try {
                                    included = awaitedMaterialization.get();
                                } catch (ExecutionException e) {
                                    throw new CheckpointException(
                                            CheckpointException.Reason.SNAPSHOT_FAILED,
                                            "The materialization this checkpoint needs failed: "
                                                    + e.getCause().getMessage(),
                                            e.getCause());
                                }
                            }
                            long includedFrom = included != null ? included.sequence : 0;
                            List<ChangelogWriter.SealedSegment> needed = ChangelogWriter.from(captured, includedFrom);
                            List<ChangelogStateBackendHandle.Segment> segments =
                                    new ArrayList<>(writer.persist(needed));
                            long size = writer.newlyIncludedBytes(needed);
                            List<KeyedStateHandle> materialized = List.of();
                            long materializationId = 0;
                            if (included != null) {
                                materialized = included.handles;
                                materializationId = included.id;
                                synchronized (this) {
                                    if (!included.includedBefore) {
                                        included.includedBefore = true;
                                        size += included.size;
                                    }
                                }
                            }
                            task.throwIfCancelled();
                            return SnapshotResult.of(new ChangelogStateBackendHandle(
                                    keyGroupRange, materialized, materializationId, segments, size));
                        },
                        result -> {},
                        () -> {})
                .trackedBy(inFlight);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Materialization confirmedNow = null;
        synchronized (this) {
            Object included = pendingCheckpoints.remove(checkpointId);
            pendingCheckpoints.headMap(checkpointId).clear();
            Materialization materialization = included instanceof CompletableFuture<?> future
                    ? (Materialization) future.getNow(null)
                    : (Materialization) included;
            if (materialization != null && !materialization.confirmed) {
                materialization.confirmed = true;
                confirmedNow = materialization;
            }
        }
        writer.checkpointCompleted(checkpointId);
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
        synchronized (this) {
            pendingCheckpoints.remove(checkpointId);
        }
        writer.checkpointAborted(checkpointId);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        inFlight.cancelAll();
        clearRegistrations();
        materializer.shutdownNow(); // a running materialization is interrupted; let it stop before the close
        try {
            if (!materializer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("A materialization of '{}' did not stop within 10 s of close", operatorIdentifier);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.close();
    }

    @Override
    public String toString() {
        return "ChangelogKeyedStateBackend{" + inner + "}";
    }
}

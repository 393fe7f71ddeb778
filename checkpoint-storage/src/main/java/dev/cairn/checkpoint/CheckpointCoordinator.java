package dev.cairn.checkpoint;

import dev.cairn.checkpoint.StateRecoveryOptions.ClaimMode;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.internal.CheckpointMetrics;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.CheckpointException.Reason;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers, completes, retains, subsumes and restores checkpoints of the keyed backends registered with it.
 *
 * <p><b>Design.</b> {@link #triggerCheckpoint()} is called on the task thread (the one that uses the backends):
 * it runs every backend's synchronous snapshot part right there — short by the backends' contract — and hands
 * the asynchronous parts to the executor, where they run in parallel while the task continues. When all have
 * produced their handles, the checkpoint's metadata is written through the {@link CheckpointStorageLocation},
 * which makes it durable atomically; only then does the checkpoint exist, join the retained list and get
 * announced to the backends ({@code notifyCheckpointComplete}, from the executor thread) and listeners. Retained
 * checkpoints beyond {@code num-retained} are subsumed oldest first: their exclusive files are deleted and their
 * shared files released to the {@link SharedStateRegistry}, which deletes a shared file only when no retained
 * checkpoint references it and no checkpoint that was running at that moment (and may reuse it) is left.
 *
 * <p>Failure cases: a failing synchronous part cancels the parts already started; a failing asynchronous part,
 * storage error or metadata write aborts the checkpoint, whose location is then deleted, so no garbage stays and
 * earlier checkpoints are untouched. A crash leaves at most a directory without {@code _metadata}, which is not a
 * checkpoint and is cleaned when a coordinator next starts on the same storage. Savepoints are never retained or
 * deleted by the coordinator, and neither is a checkpoint restored in {@link ClaimMode#NO_CLAIM} mode.
 *
 * <p>Thread-safety: triggering and registration happen on the task thread; completion on executor threads; the
 * shared structures are guarded by this object's monitor.
 */
public final class CheckpointCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** The coordinator's limits. */
    public record Settings(int numRetained, int maxConcurrentCheckpoints) {
        /**
         * Checks the limits.
         *
         * @param numRetained completed checkpoints kept; at least 1
         * @param maxConcurrentCheckpoints checkpoints running at once; at least 1
         */
        public Settings {
            if (numRetained < 1) {
                throw IllegalConfigurationException.invalidValue(
                        CheckpointingOptions.MAX_RETAINED_CHECKPOINTS.key(), numRetained, "an integer >= 1");
            }
            if (maxConcurrentCheckpoints < 1) {
                throw IllegalConfigurationException.invalidValue(
                        CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS.key(),
                        maxConcurrentCheckpoints,
                        "an integer >= 1");
            }
        }

        /**
         * Defaults: one retained checkpoint, one at a time.
         *
         * @return Flink's defaults: one retained checkpoint, one at a time
         */
        public static Settings defaults() {
            return new Settings(1, 1);
        }

        /**
         * Reads {@code num-retained} and {@code max-concurrent-checkpoints}.
         *
         * @param config the configuration
         * @return the settings it names, defaults for what it leaves out
         */
        public static Settings fromConfig(ReadableConfig config) {
            return new Settings(
                    config.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS),
                    config.get(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS));
        }
    }

    /** A registered backend: keyed or operator state of one operator instance. */
    private record Registration(
            String operatorId, CheckpointableKeyedStateBackend<?> keyed, OperatorStateBackend operator) {

        RunnableFuture<? extends SnapshotResult<?>> snapshot(
                long checkpointId, long timestamp, CheckpointStreamFactory streams, SnapshotOptions options)
                throws Exception {
            return keyed != null
                    ? keyed.snapshot(checkpointId, timestamp, streams, options)
                    : operator.snapshot(checkpointId, timestamp, streams, options);
        }

        void notifyComplete(long checkpointId) {
            if (keyed != null) {
                keyed.notifyCheckpointComplete(checkpointId);
            }
        }

        void notifyAborted(long checkpointId) {
            if (keyed != null) {
                keyed.notifyCheckpointAborted(checkpointId);
            }
        }
    }

    /**
     * Runs on the triggering thread right before the snapshots of a checkpoint or savepoint start, so that
     * functions can move in-memory data into their state (see {@code CheckpointedFunction#snapshotState}).
     */
    @FunctionalInterface
    public interface SnapshotHook {
        /**
         * Prepares the snapshot of a checkpoint or savepoint.
         *
         * @param checkpointId the id of the checkpoint about to start
         * @param timestamp its trigger time, in epoch milliseconds
         * @throws Exception to fail the checkpoint before anything is written
         */
        void beforeSnapshot(long checkpointId, long timestamp) throws Exception;
    }

    private final CheckpointStorageAccess storage;
    private final Settings settings;
    private final OwnershipLease lease;
    /** What the job's directory held when this coordinator started (after removing incomplete checkpoints). */
    private final CheckpointScan startScan;

    private final Executor executor;
    private final List<Registration> backends = new CopyOnWriteArrayList<>();
    private final List<CheckpointProgressListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SnapshotHook> hooks = new CopyOnWriteArrayList<>();
    private final SharedStateRegistry sharedState = new SharedStateRegistry();
    private final List<CompletedCheckpoint> retained = new ArrayList<>();
    private final Set<Long> inProgress = new HashSet<>();
    private long nextCheckpointId;
    private boolean closed;

    /**
     * Creates a coordinator over one job's storage; cleans leftovers of checkpoints that never completed.
     *
     * @param executor runs the asynchronous snapshot parts and completion (a pool of at least one thread)
     * @param storage the job's storage
     * @param settings the limits
     * @throws IOException when the storage cannot be scanned or cleaned
     */
    public CheckpointCoordinator(CheckpointStorageAccess storage, Settings settings, Executor executor)
            throws IOException {
        this(storage, settings, executor, OwnershipLease.unowned());
    }

    /**
     * As {@link #CheckpointCoordinator(CheckpointStorageAccess, Settings, Executor)}, for a process holding the
     * directory's {@code lease} (see {@link CheckpointStorageAccess#acquireOwnership}): every checkpoint confirms
     * the lease before it completes, so a process that lost it never completes a checkpoint or subsumes (deletes)
     * one. The caller closes the lease.
     *
     * @param storage the job's storage
     * @param settings the limits
     * @param executor runs the asynchronous snapshot parts and completion
     * @param lease the ownership lease of the job's directory
     * @throws IOException when the storage cannot be scanned or cleaned
     */
    public CheckpointCoordinator(
            CheckpointStorageAccess storage, Settings settings, Executor executor, OwnershipLease lease)
            throws IOException {
        this.lease = java.util.Objects.requireNonNull(lease, "lease");
        lease.checkOwned();
        this.storage = storage;
        this.settings = settings;
        this.executor = executor;
        this.nextCheckpointId = storage.highestCheckpointId() + 1;
        storage.cleanupIncompleteCheckpoints(Set.of());
        CheckpointScan scan = storage.scanCheckpoints();
        this.startScan = scan;
        for (CheckpointScan.Unreadable damaged : scan.unreadable()) {
            LOG.warn(
                    "Checkpoint {} ({}) is unreadable and is kept as it is: {}",
                    damaged.checkpointId(),
                    damaged.pointer(),
                    damaged.error().getMessage());
        }
        Set<StoragePath> referenced = new HashSet<>();
        for (CompletedCheckpoint checkpoint : scan.completed()) {
            for (FileStateHandle file : checkpoint.files()) {
                if (file.getScope() == StateScope.SHARED) {
                    referenced.add(file.getPath());
                }
            }
        }
        if (scan.unreadable().isEmpty()) {
            storage.cleanupOrphanedSharedState(referenced);
        } else {
            // An unreadable checkpoint may reference shared files that no readable one does.
            LOG.warn(
                    "Not deleting unreferenced shared files while {} checkpoint(s) cannot be read",
                    scan.unreadable().size());
        }
    }

    /**
     * Checkpoints of the storage whose metadata failed verification when this coordinator started; kept.
     *
     * @return the checkpoints that could not be read
     */
    public List<CheckpointScan.Unreadable> getUnreadableCheckpoints() {
        return startScan.unreadable();
    }

    /**
     * The checkpoints the job's directory held when this coordinator started, readable and not — all that files
     * written before the start can belong to (the retained list holds only what this coordinator took over).
     *
     * @return what the scan at start found
     */
    public CheckpointScan getCheckpointsFoundAtStart() {
        return startScan;
    }

    /**
     * Registers one instance of an operator; several instances may share an operator id.
     *
     * @param operatorId the operator's stable identifier
     * @param backend the instance's keyed backend
     */
    public void registerKeyedBackend(String operatorId, CheckpointableKeyedStateBackend<?> backend) {
        backends.add(new Registration(operatorId, backend, null));
    }

    /**
     * Registers the operator state of one instance; register instances in instance order.
     *
     * @param operatorId the operator's stable identifier
     * @param backend the instance's operator-state backend
     */
    public void registerOperatorBackend(String operatorId, OperatorStateBackend backend) {
        backends.add(new Registration(operatorId, null, backend));
    }

    /**
     * Stops snapshotting a backend (for example before closing it).
     *
     * @param backend a registered keyed backend
     */
    public void unregisterKeyedBackend(CheckpointableKeyedStateBackend<?> backend) {
        backends.removeIf(r -> r.keyed() == backend);
    }

    /**
     * Adds a hook that runs before every snapshot on the triggering thread.
     *
     * @param hook called with the checkpoint's id and timestamp
     */
    public void addSnapshotHook(SnapshotHook hook) {
        hooks.add(hook);
    }

    /**
     * Adds a listener of checkpoint and restore progress.
     *
     * @param listener called on the coordinator's threads; must not block
     */
    public void addListener(CheckpointProgressListener listener) {
        listeners.add(listener);
    }

    /**
     * Registers this coordinator's checkpoint and restore metrics in {@code group} (counters, timers and
     * distributions of checkpoints and restores, gauges of the last checkpoint, the checkpoints in progress and
     * retained, and the shared-state registry; see {@code docs/metrics.md}). Call before restoring to see the
     * restore. Closing the group removes them.
     *
     * @param group where the metrics are registered
     * @param clock milliseconds since the epoch, for the age of the last completed checkpoint
     */
    public void registerMetrics(MetricGroup group, LongSupplier clock) {
        addListener(new CheckpointMetrics(group, this, clock));
    }

    /**
     * Triggers a checkpoint; call on the task thread. The future completes when the checkpoint is durable.
     *
     * @return the checkpoint once it is durable; fails with a {@code CheckpointException} naming the reason
     */
    public CompletableFuture<CompletedCheckpoint> triggerCheckpoint() {
        return trigger(SnapshotOptions.checkpoint(), null);
    }

    /**
     * Triggers a savepoint (canonical format, self-contained) into {@code targetDirectory}, or the configured
     * savepoint directory when {@code null}.
     *
     * @param targetDirectory where to write the savepoint, or {@code null} for the configured savepoint directory
     * @return the savepoint once it is durable
     */
    public CompletableFuture<CompletedCheckpoint> triggerSavepoint(String targetDirectory) {
        return trigger(SnapshotOptions.savepoint(), targetDirectory);
    }

    private CompletableFuture<CompletedCheckpoint> trigger(SnapshotOptions options, String savepointTarget) {
        long checkpointId;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new CheckpointException(Reason.ABORTED, "The checkpoint coordinator is closed"));
            }
            if (inProgress.size() >= settings.maxConcurrentCheckpoints()) {
                return CompletableFuture.failedFuture(new CheckpointException(
                        Reason.TOO_MANY_CONCURRENT_CHECKPOINTS,
                        inProgress.size() + " checkpoint(s) in progress, at most "
                                + settings.maxConcurrentCheckpoints() + " allowed ("
                                + CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS.key() + ")"));
            }
            checkpointId = nextCheckpointId++;
            inProgress.add(checkpointId);
        }
        return new PendingCheckpoint(checkpointId, options, savepointTarget).start();
    }

    /** One checkpoint from trigger to completion or failure. */
    private final class PendingCheckpoint {
        private final long checkpointId;
        private final SnapshotOptions options;
        private final String savepointTarget;
        private final long timestamp = System.currentTimeMillis();
        private final long startNanos = System.nanoTime();
        private final List<Registration> participants = new ArrayList<>(backends);
        private final AtomicLong bytesWritten = new AtomicLong();
        private final AtomicInteger filesWritten = new AtomicInteger();
        private final AtomicInteger tasksCompleted = new AtomicInteger();
        private final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
        private CheckpointStorageLocation location;
        private long syncPauseMicros;

        PendingCheckpoint(long checkpointId, SnapshotOptions options, String savepointTarget) {
            this.checkpointId = checkpointId;
            this.options = options;
            this.savepointTarget = savepointTarget;
        }

        CompletableFuture<CompletedCheckpoint> start() {
            listeners.forEach(l -> l.checkpointStarted(checkpointId, options.isSavepoint(), participants.size()));
            List<RunnableFuture<? extends SnapshotResult<?>>> parts = new ArrayList<>();
            try {
                for (SnapshotHook hook : hooks) {
                    hook.beforeSnapshot(checkpointId, timestamp);
                }
                StreamWriteListener streams = (bytes, file) -> {
                    bytesWritten.addAndGet(bytes);
                    if (file) {
                        filesWritten.incrementAndGet();
                    }
                };
                location = options.isSavepoint()
                        ? storage.initializeSavepoint(checkpointId, savepointTarget, streams)
                        : initializeCheckpoint(streams);
                for (Registration registration : participants) {
                    parts.add(registration.snapshot(checkpointId, timestamp, location.getStreamFactory(), options));
                }
            } catch (Exception e) {
                parts.forEach(part -> part.cancel(false));
                fail(e instanceof IOException ? Reason.STORAGE_FAILURE : Reason.SNAPSHOT_FAILED, e, List.of());
                return result;
            }
            syncPauseMicros = (System.nanoTime() - startNanos) / 1000;
            List<CompletableFuture<Object>> handles = new ArrayList<>();
            for (RunnableFuture<? extends SnapshotResult<?>> part : parts) {
                handles.add(CompletableFuture.supplyAsync(() -> runPart(part), executor));
            }
            CompletableFuture.allOf(handles.toArray(CompletableFuture[]::new))
                    .whenCompleteAsync(
                            (ignored, error) -> {
                                if (error != null) {
                                    parts.forEach(part -> part.cancel(false));
                                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                                    fail(
                                            isStorageFailure(cause) ? Reason.STORAGE_FAILURE : Reason.SNAPSHOT_FAILED,
                                            cause,
                                            handles.stream()
                                                    .filter(h -> h.isDone() && !h.isCompletedExceptionally())
                                                    .map(CompletableFuture::join)
                                                    .toList());
                                } else {
                                    complete(handles.stream()
                                            .map(CompletableFuture::join)
                                            .toList());
                                }
                            },
                            executor);
            return result;
        }

        /**
         * The checkpoint's location. When it cannot be created — e.g. its directory already holds a checkpoint —
         * another process may have taken the directory over and written checkpoints with the same ids: then the
         * failure names the lost lease, so that the caller knows this process must stop checkpointing here.
         */
        private CheckpointStorageLocation initializeCheckpoint(StreamWriteListener streams) throws IOException {
            try {
                return storage.initializeCheckpoint(checkpointId, streams);
            } catch (IOException e) {
                try {
                    lease.checkOwned();
                } catch (CheckpointOwnershipException lost) {
                    lost.addSuppressed(e);
                    throw lost;
                }
                throw e;
            }
        }

        private Object runPart(RunnableFuture<? extends SnapshotResult<?>> part) {
            part.run();
            try {
                Object handle = part.get().getHandle();
                synchronized (this) { // listeners see monotonic totals
                    int done = tasksCompleted.incrementAndGet();
                    long bytes = bytesWritten.get();
                    int files = filesWritten.get();
                    listeners.forEach(l -> l.checkpointProgress(checkpointId, done, participants.size(), bytes, files));
                }
                return handle;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e.getCause() != null ? e.getCause() : e);
            }
        }

        private boolean isStorageFailure(Throwable error) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof IOException) {
                    return true;
                }
            }
            return false;
        }

        private void complete(List<Object> handles) {
            Map<String, List<KeyedStateHandle>> keyedByOperator = new LinkedHashMap<>();
            Map<String, List<OperatorStateHandle>> operatorByOperator = new LinkedHashMap<>();
            for (int i = 0; i < participants.size(); i++) {
                String operatorId = participants.get(i).operatorId();
                List<KeyedStateHandle> keyed = keyedByOperator.computeIfAbsent(operatorId, id -> new ArrayList<>());
                List<OperatorStateHandle> operator =
                        operatorByOperator.computeIfAbsent(operatorId, id -> new ArrayList<>());
                if (handles.get(i) instanceof KeyedStateHandle handle) {
                    keyed.add(handle);
                } else if (handles.get(i) instanceof OperatorStateHandle handle) {
                    operator.add(handle);
                }
            }
            List<OperatorSnapshot> operators = new ArrayList<>();
            keyedByOperator.forEach(
                    (id, keyed) -> operators.add(new OperatorSnapshot(id, keyed, operatorByOperator.get(id))));
            CompletedCheckpoint checkpoint;
            try {
                if (!options.isSavepoint()) {
                    lease.checkOwned();
                }
                checkpoint =
                        location.complete(new CheckpointMetadata(checkpointId, timestamp, options.type(), operators));
            } catch (IOException | RuntimeException e) {
                fail(Reason.STORAGE_FAILURE, e, handles);
                return;
            }
            synchronized (CheckpointCoordinator.this) {
                inProgress.remove(checkpointId);
                if (!checkpoint.isSavepoint()) {
                    retain(checkpoint);
                }
            }
            for (Registration registration : participants) {
                try {
                    registration.notifyComplete(checkpointId);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Backend of '{}' failed on checkpoint {} completion",
                            registration.operatorId(),
                            checkpointId,
                            e);
                }
            }
            CheckpointStats stats = new CheckpointStats(
                    checkpointId,
                    checkpoint.isSavepoint(),
                    (System.nanoTime() - startNanos) / 1_000_000,
                    syncPauseMicros,
                    checkpoint.getStateSize(),
                    checkpoint.getCheckpointedSize(),
                    checkpoint.files().size(),
                    checkpoint.getPointer());
            LOG.info(
                    "Completed {} ({} bytes, {} of them new, {} files) in {} ms",
                    checkpoint,
                    stats.stateSize(),
                    stats.checkpointedSize(),
                    stats.files(),
                    stats.durationMillis());
            listeners.forEach(l -> l.checkpointCompleted(stats));
            result.complete(checkpoint);
        }

        /**
         * Aborts the checkpoint: deletes its location and the shared files its snapshots uploaded ({@code
         * produced}: the handles of the parts that finished), keeping those reused from retained checkpoints.
         */
        private void fail(Reason reason, Throwable cause, List<Object> produced) {
            if (location != null) {
                location.abort();
            }
            List<FileStateHandle> exclusive = new ArrayList<>();
            for (Object handle : produced) {
                List<StreamStateHandle> streams = handle instanceof KeyedStateHandle keyed
                        ? keyed.getStreams()
                        : handle instanceof OperatorStateHandle operator ? List.of(operator.getStream()) : List.of();
                sharedState.discardUnregistered(streams);
                for (StreamStateHandle stream : streams) {
                    if (stream instanceof FileStateHandle file && file.getScope() == StateScope.EXCLUSIVE) {
                        exclusive.add(file);
                    }
                }
            }
            // The location's directory is gone already, but with key entropy an object store keeps data files
            // outside it: delete them by their handles too (no error for files already gone).
            try {
                FileStateHandle.discardAll(exclusive);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not delete the files of failed checkpoint {}", checkpointId, e);
            }
            synchronized (CheckpointCoordinator.this) {
                inProgress.remove(checkpointId);
                sharedState.deleteReleased(lowestRunningCheckpointId());
            }
            for (Registration registration : participants) {
                try {
                    registration.notifyAborted(checkpointId);
                } catch (RuntimeException e) {
                    LOG.warn(
                            "Backend of '{}' failed on checkpoint {} abort",
                            registration.operatorId(),
                            checkpointId,
                            e);
                }
            }
            String message = (options.isSavepoint() ? "Savepoint " : "Checkpoint ") + checkpointId + " failed: "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
            LOG.warn(message, cause);
            listeners.forEach(l -> l.checkpointFailed(checkpointId, reason, message));
            result.completeExceptionally(new CheckpointException(reason, message, cause));
        }
    }

    /** Adds a checkpoint to the retained list and subsumes the oldest beyond {@code num-retained}. */
    private synchronized void retain(CompletedCheckpoint checkpoint) {
        sharedState.register(checkpoint);
        retained.add(checkpoint);
        retained.sort(java.util.Comparator.comparingLong(CompletedCheckpoint::getCheckpointId));
        while (retained.size() > settings.numRetained()) {
            CompletedCheckpoint subsumed = retained.remove(0);
            // A running checkpoint may reuse the subsumed one's shared files: the registry waits for it.
            sharedState.unregister(subsumed, nextCheckpointId - 1);
            subsumed.discardExclusiveState();
            LOG.debug("Subsumed {}", subsumed);
        }
        sharedState.deleteReleased(lowestRunningCheckpointId());
    }

    private synchronized long lowestRunningCheckpointId() {
        return inProgress.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    /** {@return the number of checkpoints triggered but not yet completed or failed} */
    public synchronized int getPendingCheckpoints() {
        return inProgress.size();
    }

    /** {@return whether another checkpoint may start now under {@code max-concurrent-checkpoints}} */
    public synchronized boolean canTrigger() {
        return !closed && inProgress.size() < settings.maxConcurrentCheckpoints();
    }

    /** {@return the retained checkpoints, oldest first} */
    public synchronized List<CompletedCheckpoint> getRetainedCheckpoints() {
        return List.copyOf(retained);
    }

    /** {@return the newest retained checkpoint, if there is one} */
    public synchronized Optional<CompletedCheckpoint> getLatestCompletedCheckpoint() {
        return retained.isEmpty() ? Optional.empty() : Optional.of(retained.get(retained.size() - 1));
    }

    /** {@return the shared-state registry of the retained checkpoints} */
    public SharedStateRegistry getSharedStateRegistry() {
        return sharedState;
    }

    /**
     * Prepares a restore from the latest completed checkpoint found in the storage (scanning it, so this works
     * after a crash). The storage's completed checkpoints become this coordinator's retained ones.
     *
     * @return empty when the storage holds no completed checkpoint
     * @throws dev.cairn.state.CorruptCheckpointException if the latest checkpoint's metadata cannot be read or one
     *     of its files is missing or has another length than recorded (contents are checked by the backends as they
     *     read them; see {@link #restoreRefused})
     * @throws IOException when the storage cannot be read
     */
    public Optional<RestoreSession> restoreLatest() throws IOException {
        CheckpointScan scan = storage.scanCheckpoints();
        List<CompletedCheckpoint> found = scan.completed();
        long latestReadable = found.isEmpty() ? 0 : found.get(found.size() - 1).getCheckpointId();
        for (CheckpointScan.Unreadable damaged : scan.unreadable()) {
            if (damaged.checkpointId() > latestReadable) {
                throw noSilentFallback(damaged.checkpointId(), damaged.pointer(), damaged.error(), found);
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CompletedCheckpoint latest = found.get(found.size() - 1);
        RestoreSession session;
        try {
            session = beginRestore(latest);
        } catch (CorruptCheckpointException e) {
            throw noSilentFallback(
                    latest.getCheckpointId(), latest.getPointer(), e, found.subList(0, found.size() - 1));
        }
        synchronized (this) {
            for (CompletedCheckpoint checkpoint : found) {
                if (retained.stream().noneMatch(r -> r.getCheckpointId() == checkpoint.getCheckpointId())) {
                    retain(checkpoint);
                }
            }
        }
        return Optional.of(session);
    }

    /**
     * The error to raise when a backend restoring the latest checkpoint found one of its files damaged: names the
     * damage as {@code cause} does, says that Cairn does not fall back to an earlier checkpoint by itself, and lists
     * the earlier retained checkpoints to choose from — what {@link #restoreLatest()} says about damage it finds
     * itself.
     *
     * @param checkpoint the checkpoint being restored
     * @param cause the backend's error
     * @return the error to throw
     */
    public CorruptCheckpointException restoreRefused(CompletedCheckpoint checkpoint, CorruptCheckpointException cause) {
        List<CompletedCheckpoint> earlier = getRetainedCheckpoints().stream()
                .filter(retained -> retained.getCheckpointId() < checkpoint.getCheckpointId())
                .toList();
        return noSilentFallback(checkpoint.getCheckpointId(), checkpoint.getPointer(), cause, earlier);
    }

    /**
     * The error for a latest checkpoint that cannot be restored. Restoring an earlier one instead would silently
     * go back in time (and, for exactly-once sinks, repeat output): that takes the operator's decision.
     */
    private static CorruptCheckpointException noSilentFallback(
            long checkpointId, String pointer, CorruptCheckpointException cause, List<CompletedCheckpoint> earlier) {
        String options = earlier.isEmpty()
                ? "There is no earlier readable checkpoint; move " + pointer + " away to start from scratch."
                : "To resume from an earlier checkpoint, set '" + StateRecoveryOptions.SAVEPOINT_PATH.key()
                        + "' to one of "
                        + earlier.stream().map(CompletedCheckpoint::getPointer).toList()
                        + " or move " + pointer + " away.";
        return new CorruptCheckpointException(
                "The latest checkpoint " + checkpointId + " (" + pointer + ") cannot be restored: "
                        + cause.getMessage() + ". Cairn does not fall back to an earlier checkpoint on its own and"
                        + " deletes nothing of it. " + options,
                cause);
    }

    /**
     * Prepares a restore from a given checkpoint or savepoint. With {@link ClaimMode#CLAIM} a checkpoint becomes
     * one of this coordinator's retained checkpoints (and is subsumed later); with {@link ClaimMode#NO_CLAIM}
     * its files are never deleted.
     *
     * @param checkpoint the checkpoint or savepoint to restore
     * @param claimMode whether this coordinator takes ownership of the checkpoint's files
     * @return the restore session, after every file was found with its recorded length
     * @throws dev.cairn.state.CorruptCheckpointException if a file is missing or has another length than recorded
     * @throws IOException when the storage cannot be asked
     */
    public RestoreSession restoreFrom(CompletedCheckpoint checkpoint, ClaimMode claimMode) throws IOException {
        RestoreSession session = beginRestore(checkpoint);
        if (claimMode == ClaimMode.CLAIM && !checkpoint.isSavepoint()) {
            retain(checkpoint);
        }
        return session;
    }

    private RestoreSession beginRestore(CompletedCheckpoint checkpoint) throws IOException {
        long totalBytes = 0;
        List<FileStateHandle> files = checkpoint.files();
        for (FileStateHandle file : files) {
            totalBytes += file.getStateSize();
        }
        long start = System.nanoTime();
        long total = totalBytes;
        listeners.forEach(l -> l.restoreStarted(checkpoint.getPointer(), total, files.size()));
        long read = 0;
        int verified = 0;
        for (FileStateHandle file : files) {
            // One metadata request per file; the backends check the bytes as they read them (one read per byte).
            file.checkPresent();
            read += file.getStateSize();
            verified++;
            long bytesRead = read;
            int filesRead = verified;
            listeners.forEach(l -> l.restoreProgress(bytesRead, total, filesRead, files.size()));
        }
        synchronized (this) {
            nextCheckpointId = Math.max(nextCheckpointId, checkpoint.getCheckpointId() + 1);
        }
        return new RestoreSession(checkpoint, start);
    }

    /**
     * A checkpoint being restored, its files found with their recorded lengths: hands out each operator's handles; closing it reports the restore
     * as done.
     */
    public final class RestoreSession implements AutoCloseable {
        private final CompletedCheckpoint checkpoint;
        private final long startNanos;
        private boolean done;

        private RestoreSession(CompletedCheckpoint checkpoint, long startNanos) {
            this.checkpoint = checkpoint;
            this.startNanos = startNanos;
        }

        /** {@return the checkpoint being restored} */
        public CompletedCheckpoint getCheckpoint() {
            return checkpoint;
        }

        /**
         * {@return the handles to pass to {@code KeyedBackendParameters.Builder#restoreFrom} for {@code operatorId}}
         *
         * @param operatorId the operator's stable identifier
         */
        public List<KeyedStateHandle> keyedState(String operatorId) {
            return checkpoint.getKeyedState(operatorId);
        }

        /**
         * {@return the operator-state handles to pass to {@code OperatorBackendParameters} for {@code operatorId}}
         *
         * @param operatorId the operator's stable identifier
         */
        public List<OperatorStateHandle> operatorState(String operatorId) {
            return checkpoint.getOperatorState(operatorId);
        }

        /** The backends are restored. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                listeners.forEach(l -> l.restoreCompleted(checkpoint.getPointer(), millis));
            }
        }
    }

    /** Rejects further triggers; checkpoints in progress still complete or fail. */
    @Override
    public synchronized void close() {
        closed = true;
    }
}

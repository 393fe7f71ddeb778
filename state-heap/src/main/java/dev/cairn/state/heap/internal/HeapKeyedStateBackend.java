package dev.cairn.state.heap.internal;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.KeyAndNamespace;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.AbstractKeyedStateBackend;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.HeapTimerQueue;
import dev.cairn.state.support.InFlightSnapshots;
import dev.cairn.state.support.KeyedStateRegistry;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.RemovalLog;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TimerSlot;
import dev.cairn.state.support.TtlChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.RunnableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed backend of {@code HashMapStateBackend}: state as objects on the heap.
 *
 * <p><b>Design.</b> Each state is a {@link StateTable} holding one {@link dev.cairn.state.support.CopyOnWriteStateMap} per key group of
 * the backend's range, so snapshots and restores work key group by key group and rescaling is a matter of which
 * key groups a backend reads. All maps share one {@link SnapshotVersions} clock.
 *
 * <p>A snapshot's synchronous part (on the task thread) starts a snapshot version and captures, per state and
 * key group, a reference to the current bucket array: O(states × key groups), independent of the number of
 * entries, and no entry is copied or visited. From then on the maps copy a bucket array, an entry or a mutable
 * state object before they would modify one the snapshot can see. The asynchronous part (the returned future)
 * serializes the captured arrays in the canonical format and then releases the version, after which writes are
 * in place again. A future that is cancelled releases its version too; one that is neither run nor cancelled
 * keeps copy-on-write active, which is why the contract asks callers to do one or the other.
 *
 * <p><b>Incremental checkpoints</b> ({@link IncrementalSettings}) reuse the same versions: an entry whose
 * {@code stateVersion} is at least the version of the last completed checkpoint changed since, and each map keeps
 * its removals since then ({@link dev.cairn.state.support.RemovalLog}) and a version per bucket. The synchronous
 * part also captures those (still O(states × key groups)); {@link IncrementalSnapshotWriter} writes a base or a
 * delta per key group; {@link IncrementalCheckpoints} remembers which completed checkpoint the next one builds on.
 * Savepoints are always full and canonical.
 *
 * <p>Failure cases: a failing stream fails the future (nothing half-written is handed out: the writer discards
 * its stream); a restore error (corrupt bytes, incompatible serializers) fails backend creation before any state
 * is visible.
 */
public final class HeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private static final Logger LOG = LoggerFactory.getLogger(HeapKeyedStateBackend.class);

    private final SnapshotVersions versions;
    private final KeyedStateRegistry<StateTable<K, ?, ?>> registry = new KeyedStateRegistry<>(new Tables());
    private final Map<String, HeapTimerQueue<K, ?>> timerQueues = new HashMap<>();
    private final InFlightSnapshots inFlight = new InFlightSnapshots();
    private final IncrementalSettings incremental;
    private final IncrementalCheckpoints incrementalCheckpoints = new IncrementalCheckpoints();
    private final MetricGroup metricGroup;
    private boolean closed;

    /** Creates a backend with full checkpoints and restores the parameters' handles. */
    public HeapKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        this(parameters, IncrementalSettings.OFF);
    }

    /**
     * Creates the backend and restores the parameters' handles.
     *
     * @param parameters the backend's parameters
     * @param incremental whether checkpoints are incremental, and their chain limits
     */
    public HeapKeyedStateBackend(KeyedBackendParameters<K> parameters, IncrementalSettings incremental) {
        super(parameters);
        this.metricGroup = parameters.getMetricGroup();
        this.incremental = incremental;
        this.versions = new SnapshotVersions();
        if (!parameters.getRestoreHandles().isEmpty()) {
            long start = System.nanoTime();
            try {
                new HeapRestoreOperation<>(this, parameters.getClassLoader()).restore(parameters.getRestoreHandles());
            } catch (IOException e) {
                throw new CheckpointException(
                        CheckpointException.Reason.RESTORE_FAILED,
                        "Restoring operator '" + operatorIdentifier + "' failed: " + e.getMessage(),
                        e);
            }
            LOG.info(
                    "Restored {} entries of operator '{}' ({}) in {} ms",
                    numKeyValueStateEntries(),
                    operatorIdentifier,
                    keyGroupRange,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The keyed backend of '" + operatorIdentifier + "' is closed");
        }
    }

    /** The current key; fails clearly when none is set or the backend is closed. */
    K checkedCurrentKey() {
        K currentKey = getCurrentKey();
        if (currentKey == null) {
            throw new IllegalStateException(
                    "No current key: call setCurrentKey before accessing keyed state of '" + operatorIdentifier + "'");
        }
        if (closed) {
            throw new IllegalStateException("The keyed backend of '" + operatorIdentifier + "' is closed");
        }
        return currentKey;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Runnable ttlCleanup(String stateName, StateTtlConfig config) {
        int entries = config.getCleanupStrategies().incrementalCleanupSize();
        if (entries <= 0) {
            return () -> {};
        }
        TtlIncrementalCleanup<K, Object> cleanup = new TtlIncrementalCleanup<>(
                (StateTable<K, Object, Object>) registry.get(stateName).storage(),
                keyGroupRange,
                config.getTtl().toMillis(),
                ttlTimeProvider,
                entries);
        return cleanup::run;
    }

    @Override
    protected <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        checkOpen();
        return registry.getOrCreate(namespaceSerializer, descriptor, ttl);
    }

    /** A state's entries and estimated size as gauges, tagged with its name; read on the reporter's thread. */
    private void registerSizeGauges(StateTable<K, ?, ?> table) {
        MetricGroup state = metricGroup.addGroup("state.name", table.getName());
        state.gauge(
                "cairn.heap.state.entries",
                "(key, namespace) entries of the state (a list or map counts once)",
                null,
                table::size);
        state.gauge(
                "cairn.heap.state.size.estimate",
                "Serialized bytes of the state: entries times the bytes per entry of its last full snapshot (-1 before)",
                "bytes",
                table::estimatedBytes);
    }

    /** Remembers the bytes per entry each state's snapshot measured, for {@link StateTable#estimatedBytes}. */
    private static void measured(List<StateTable<?, ?, ?>> tables, java.util.function.IntToDoubleFunction perEntry) {
        for (int index = 0; index < tables.size(); index++) {
            tables.get(index).measuredBytesPerEntry(perEntry.applyAsDouble(index));
        }
    }

    /** The heap side of the {@link KeyedStateRegistry}: tables of objects. */
    private final class Tables implements KeyedStateRegistry.Storage<StateTable<K, ?, ?>> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public StateTable<K, ?, ?> create(
                String name,
                StateKind kind,
                TypeSerializer<?> namespaceSerializer,
                List<TypeSerializer<?>> valueSerializers) {
            TypeSerializer stateSerializer = switch (kind) {
                case LIST -> Serializers.listOf(valueSerializers.get(0));
                case MAP -> Serializers.mapOf(valueSerializers.get(0), valueSerializers.get(1));
                case TIMERS -> Serializers.BOOLEAN;
                default -> valueSerializers.get(0);
            };
            StateTable<K, ?, ?> table = new StateTable<>(name, kind, keyGroupRange, versions, stateSerializer);
            registerSizeGauges(table);
            return table;
        }

        /** Objects need no migration on heap; values are converted only when TTL was switched on or off. */
        @Override
        @SuppressWarnings("unchecked")
        public void migrate(
                RegisteredState<StateTable<K, ?, ?>> state,
                StateMetaInfo.Compatibility compatibility,
                List<TypeSerializer<?>> newValueSerializers) {
            if (compatibility.ttlChange() != TtlChange.NONE) {
                convertTtl(
                        (StateTable<K, ?, Object>) state.storage(),
                        compatibility.ttlChange(),
                        ttlTimeProvider.currentTimestamp());
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public InternalKvState<?> createState(
                RegisteredState<StateTable<K, ?, ?>> state, StateDescriptor<?, ?> descriptor) {
            StateTable table = state.storage();
            table.setStateSerializer(descriptor.getSerializer());
            HeapKeyedStateBackend<K> backend = HeapKeyedStateBackend.this;
            return switch (descriptor.getType()) {
                case VALUE -> new HeapValueState<>(backend, table, (ValueStateDescriptor) descriptor);
                case LIST -> new HeapListState<>(backend, table);
                case MAP -> new HeapMapState<>(backend, table);
                case REDUCING ->
                    new HeapReducingState<>(backend, table, ((ReducingStateDescriptor) descriptor).getReduceFunction());
                case AGGREGATING ->
                    new HeapAggregatingState<>(
                            backend, table, ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
            };
        }

        @Override
        public boolean acceptsMigratedTimerNamespace() {
            return true;
        }
    }

    /** Wraps every stored value in a {@code TtlValue} stamped now, or unwraps it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void convertTtl(StateTable<?, ?, Object> table, TtlChange change, long now) {
        Function<Object, Object> convert = change.converter(now);
        table.transformAll(
                switch (table.getKind()) {
                    case LIST ->
                        list -> new ArrayList<>(
                                ((List<Object>) list).stream().map(convert).toList());
                    case MAP ->
                        map -> {
                            Map<Object, Object> converted = new HashMap<>();
                            ((Map<Object, Object>) map).forEach((k, v) -> converted.put(k, convert.apply(v)));
                            return converted;
                        };
                    default -> convert::apply;
                });
        LOG.info("State '{}': TTL {} on restore, stored values converted", table.getName(), change);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> HeapTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        checkOpen();
        RegisteredState<StateTable<K, ?, ?>> state = registry.timers(name, namespaceSerializer);
        return (HeapTimerQueue<K, N>) timerQueues.computeIfAbsent(
                name,
                queue -> new HeapTimerQueue<>(
                        (StateTable<K, TimerSlot<N>, Boolean>) state.storage(), numberOfKeyGroups));
    }

    /** The state restored data of {@code metaInfo} goes into; created with the snapshot's serializers. */
    RegisteredState<StateTable<K, ?, ?>> restoredState(StateMetaInfo metaInfo) {
        return registry.restored(metaInfo);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> Stream<K> getKeys(String stateName, N namespace) {
        return this.<N>entries(stateName)
                .filter(entry -> entry.namespace().equals(namespace))
                .map(StateEntry::key);
    }

    @Override
    public <N> Stream<KeyAndNamespace<K, N>> getKeysAndNamespaces(String stateName) {
        return this.<N>entries(stateName).map(entry -> new KeyAndNamespace<>(entry.key(), entry.namespace()));
    }

    /** Every entry of a keyed state (never of a timer queue), key group by key group; lazy. */
    @SuppressWarnings("unchecked")
    private <N> Stream<StateEntry<K, N, ?>> entries(String stateName) {
        checkOpen();
        RegisteredState<StateTable<K, ?, ?>> state = registry.keyed(stateName);
        if (state == null || keyGroupRange.isEmpty()) {
            return Stream.empty();
        }
        StateTable<K, N, ?> table = (StateTable<K, N, ?>) state.storage();
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(new EntryIterator<>(table, keyGroupRange), Spliterator.ORDERED),
                false);
    }

    /** Iterates all entries of a table, key group by key group. */
    private static final class EntryIterator<K, N> implements Iterator<StateEntry<K, N, ?>> {
        private final StateTable<K, N, ?> table;
        private final KeyGroupRange range;
        private int keyGroup;
        private Iterator<? extends StateEntry<K, N, ?>> current;

        EntryIterator(StateTable<K, N, ?> table, KeyGroupRange range) {
            this.table = table;
            this.range = range;
            this.keyGroup = range.getStartKeyGroup();
            this.current = table.mapForKeyGroup(keyGroup).iterator();
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && keyGroup < range.getEndKeyGroup()) {
                current = table.mapForKeyGroup(++keyGroup).iterator();
            }
            return current.hasNext();
        }

        @Override
        public StateEntry<K, N, ?> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return current.next();
        }
    }

    @Override
    public int numKeyValueStateEntries() {
        int entries = 0;
        for (RegisteredState<StateTable<K, ?, ?>> state : registry.all()) {
            if (!state.isTimers()) {
                entries += state.storage().size();
            }
        }
        return entries;
    }

    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options) {
        checkOpen();
        if (registry.isEmpty()) {
            return AsyncSnapshotTask.empty();
        }
        if (incremental.enabled() && !options.isSavepoint()) {
            return incrementalSnapshot(checkpointId, streamFactory);
        }
        int version = versions.startSnapshot();
        long now = ttlTimeProvider.currentTimestamp();
        List<HeapSnapshotWriter.StateView> views = new ArrayList<>();
        List<StateTable<?, ?, ?>> tables = new ArrayList<>();
        for (RegisteredState<StateTable<K, ?, ?>> state : registry.all()) {
            tables.add(state.storage());
            views.add(new HeapSnapshotWriter.StateView(
                    state.metaInfo(),
                    state.kind(),
                    state.namespaceSerializer(),
                    state.valueSerializers(),
                    state.storage().snapshotTables(),
                    state.fullSnapshotCleanupTtl(),
                    now));
        }
        HeapSnapshotWriter<K> writer = new HeapSnapshotWriter<>(keySerializer, numberOfKeyGroups, keyGroupRange, views);
        // The captured arrays are read until the writer ends; then the version is released and writes are in
        // place again.
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> {
                            long start = System.nanoTime();
                            SnapshotResult<KeyedStateHandle> result =
                                    SnapshotResult.of(writer.write(streamFactory, task));
                            measured(tables, writer::bytesPerEntry);
                            LOG.debug(
                                    "Heap snapshot {} of '{}' written in {} ms",
                                    checkpointId,
                                    operatorIdentifier,
                                    (System.nanoTime() - start) / 1_000_000);
                            return result;
                        },
                        result -> result.getHandle().discardState(),
                        () -> versions.release(version))
                .trackedBy(inFlight);
    }

    /**
     * The synchronous part of an incremental checkpoint: besides the bucket arrays, captures each map's removal log
     * and change version — O(states × key groups) — and prunes the removals no later checkpoint needs.
     */
    private RunnableFuture<SnapshotResult<KeyedStateHandle>> incrementalSnapshot(
            long checkpointId, CheckpointStreamFactory streamFactory) {
        IncrementalCheckpoints.Basis basis = incrementalCheckpoints.confirmed();
        versions.trackChanges();
        int version = versions.startSnapshot();
        long now = ttlTimeProvider.currentTimestamp();
        int keyGroups = keyGroupRange.getNumberOfKeyGroups();
        List<HeapSnapshotWriter.StateView> views = new ArrayList<>();
        Map<String, long[]> removalEnds = new HashMap<>();
        List<StateTable<?, ?, ?>> tables = new ArrayList<>();
        for (RegisteredState<StateTable<K, ?, ?>> state : registry.all()) {
            StateTable<K, ?, ?> table = state.storage();
            tables.add(table);
            RemovalLog.View<?, ?>[] removals = new RemovalLog.View<?, ?>[keyGroups];
            int[] changeVersions = new int[keyGroups];
            int[][] bucketVersions = new int[keyGroups][];
            long[] ends = new long[keyGroups];
            long[] needed = incrementalCheckpoints.removalsNeededFrom(state.name(), keyGroups);
            for (int index = 0; index < keyGroups; index++) {
                CopyOnWriteStateMap<K, ?, ?> map = table.mapForKeyGroup(keyGroupRange.getStartKeyGroup() + index);
                map.pruneRemovalsBefore(needed[index]);
                removals[index] = map.removals();
                ends[index] = removals[index].end();
                changeVersions[index] = map.changeVersion();
                bucketVersions[index] = map.snapshotBucketVersions();
            }
            removalEnds.put(state.name(), ends);
            views.add(new HeapSnapshotWriter.StateView(
                    state.metaInfo(),
                    state.kind(),
                    state.namespaceSerializer(),
                    state.valueSerializers(),
                    table.snapshotTables(),
                    state.fullSnapshotCleanupTtl(),
                    now,
                    new HeapSnapshotWriter.Changes(removals, changeVersions, bucketVersions)));
        }
        incrementalCheckpoints.started(checkpointId, Map.copyOf(removalEnds));
        IncrementalSnapshotWriter<K> writer = new IncrementalSnapshotWriter<>(
                keySerializer, numberOfKeyGroups, keyGroupRange, views, basis, incremental, checkpointId);
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> {
                            long start = System.nanoTime();
                            IncrementalHeapStateHandle handle = writer.write(streamFactory, task);
                            measured(tables, writer::bytesPerEntry);
                            incrementalCheckpoints.written(new IncrementalCheckpoints.Basis(
                                    checkpointId, version, Map.copyOf(removalEnds), handle));
                            LOG.debug(
                                    "Incremental heap checkpoint {} of '{}' ({} on checkpoint {}) written in {} ms:"
                                            + " {} bytes",
                                    checkpointId,
                                    operatorIdentifier,
                                    basis == null ? "full" : "delta",
                                    basis == null ? "-" : basis.checkpointId(),
                                    (System.nanoTime() - start) / 1_000_000,
                                    handle.getCheckpointedSize());
                            return SnapshotResult.of(handle);
                        },
                        result -> discardOwnFile((IncrementalHeapStateHandle) result.getHandle(), checkpointId),
                        () -> {
                            versions.release(version);
                            incrementalCheckpoints.ended(checkpointId);
                        })
                .trackedBy(inFlight);
    }

    /** A written but unused checkpoint: only its own file is deleted; the earlier ones belong to other checkpoints. */
    private static void discardOwnFile(IncrementalHeapStateHandle handle, long checkpointId) throws IOException {
        for (IncrementalHeapStateHandle.ChainFile file : handle.getFiles()) {
            if (file.checkpointId() == checkpointId) {
                file.stream().discardState();
            }
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        incrementalCheckpoints.completed(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        incrementalCheckpoints.aborted(checkpointId);
    }

    /** Snapshots whose asynchronous part has not finished; copy-on-write is active while this is non-zero. */
    public int runningSnapshots() {
        return versions.runningSnapshots();
    }

    /**
     * Writes apply at once, but a replay that groups them by state and key group touches one key group's map at a
     * time, which then stays in the CPU caches (in recorded order each write is a cache miss into a table of every
     * key group's entries), and it can skip the writes the entry's next change overwrites.
     */
    @Override
    public BulkWrites beginBulkWrites() {
        return GROUPED_WRITES;
    }

    private static final BulkWrites GROUPED_WRITES = new BulkWrites() {
        @Override
        public boolean prefersKeyOrder() {
            return true;
        }

        @Override
        public void close() {}
    };

    @Override
    protected void onTreatAsRestored(String stateName) {
        registry.treatAsRestored(stateName);
    }

    /** Releases the state; snapshots whose asynchronous part has not finished end as cancelled. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            metricGroup.close();
            inFlight.cancelAll();
            registry.clear();
            clearRegistrations();
            timerQueues.clear();
        }
    }

    @Override
    public String toString() {
        return "HeapKeyedStateBackend{" + operatorIdentifier + ", " + keyGroupRange + "}";
    }
}

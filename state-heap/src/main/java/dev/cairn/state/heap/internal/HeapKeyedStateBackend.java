package dev.cairn.state.heap.internal;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.KeyAndNamespace;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.AbstractKeyedStateBackend;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.HeapTimerQueue;
import dev.cairn.state.support.InFlightSnapshots;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TimerSlot;
import dev.cairn.state.support.TtlChange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * <p>Failure cases: a failing stream fails the future (nothing half-written is handed out: the writer discards
 * its stream); a restore error (corrupt bytes, incompatible serializers) fails backend creation before any state
 * is visible.
 */
public final class HeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private static final Logger LOG = LoggerFactory.getLogger(HeapKeyedStateBackend.class);

    private final SnapshotVersions versions = new SnapshotVersions();
    private final Map<String, StateTable<K, ?, ?>> tables = new LinkedHashMap<>();
    private final Map<String, AbstractHeapState<K, ?, ?>> states = new HashMap<>();
    private final Map<String, HeapTimerQueue<K, ?>> timerQueues = new HashMap<>();
    private final Map<String, StateTable<K, ?, ?>> timerTables = new HashMap<>();
    private final InFlightSnapshots inFlight = new InFlightSnapshots();
    private boolean closed;

    /** Creates the backend and restores the parameters' handles. */
    public HeapKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        super(parameters);
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
                (StateTable<K, Object, Object>) tables.get(stateName),
                keyGroupRange,
                config.getTtl().toMillis(),
                ttlTimeProvider,
                entries);
        return cleanup::run;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        checkOpen();
        AbstractHeapState<K, N, ?> state = (AbstractHeapState<K, N, ?>) states.get(descriptor.getName());
        if (state == null) {
            StateTable<K, N, Object> table = registerTable(descriptor, namespaceSerializer);
            table.setTtlConfig(ttl);
            state = createState(table, descriptor);
            states.put(descriptor.getName(), state);
        } else {
            StateTable<K, ?, ?> table = tables.get(descriptor.getName());
            checkSameRegistration(
                    descriptor.getName(),
                    table.getDescriptor().getType(),
                    table.getTtlConfig() != null,
                    table.getNamespaceSerializer(),
                    descriptor,
                    ttl,
                    namespaceSerializer);
        }
        return state;
    }

    @SuppressWarnings("unchecked")
    private <N> StateTable<K, N, Object> registerTable(
            StateDescriptor<?, ?> descriptor, TypeSerializer<N> namespaceSerializer) {
        StateTable<K, N, Object> table = (StateTable<K, N, Object>) tables.get(descriptor.getName());
        if (table != null && table.getType() == StateDescriptor.Type.TIMERS) {
            throw new IllegalStateException("'" + descriptor.getName() + "' is the name of a timer queue, not of "
                    + descriptor.getType() + " state");
        }
        if (table == null) {
            table = new StateTable<>(
                    descriptor.getName(),
                    descriptor.getType(),
                    keyGroupRange,
                    versions,
                    namespaceSerializer,
                    (TypeSerializer<Object>) descriptor.getSerializer(),
                    StateMetaInfo.valueSerializersOf(descriptor));
            tables.put(descriptor.getName(), table);
        } else {
            // Restored state: the new serializers must be able to take over (objects need no migration on heap),
            // and values are converted when TTL was switched on or off.
            StateMetaInfo.Compatibility compatibility =
                    table.getRestoredMetaInfo().checkCompatibility(descriptor, namespaceSerializer);
            if (compatibility.ttlChange() != TtlChange.NONE) {
                convertTtl(table, compatibility.ttlChange(), ttlTimeProvider.currentTimestamp());
            }
        }
        table.register(descriptor, namespaceSerializer);
        return table;
    }

    /** Wraps every stored value in a {@code TtlValue} stamped now, or unwraps it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void convertTtl(StateTable<?, ?, Object> table, TtlChange change, long now) {
        Function<Object, Object> convert = change.converter(now);
        table.transformAll(
                switch (table.getType()) {
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <N> AbstractHeapState<K, N, ?> createState(StateTable table, StateDescriptor<?, ?> descriptor) {
        return switch (descriptor.getType()) {
            case VALUE -> new HeapValueState<>(this, table, (ValueStateDescriptor) descriptor);
            case LIST -> new HeapListState<>(this, table);
            case MAP -> new HeapMapState<>(this, table);
            case REDUCING ->
                new HeapReducingState<>(this, table, ((ReducingStateDescriptor) descriptor).getReduceFunction());
            case AGGREGATING ->
                new HeapAggregatingState<>(
                        this, table, ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
            case TIMERS -> throw new IllegalArgumentException("Timer queues come from createTimerQueue");
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> HeapTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        checkOpen();
        HeapTimerQueue<K, N> queue = (HeapTimerQueue<K, N>) timerQueues.get(name);
        if (queue != null) {
            TypeSerializer<?> registered = timerTables.get(name).getNamespaceSerializer();
            if (!registered.equals(namespaceSerializer)) {
                throw new IllegalStateException("Timer queue '" + name + "' uses namespace serializer " + registered
                        + ", not " + namespaceSerializer);
            }
            return queue;
        }
        StateTable<K, TimerSlot<N>, Boolean> table =
                (StateTable<K, TimerSlot<N>, Boolean>) (StateTable<K, ?, ?>) tables.get(name);
        if (table == null) {
            table = new StateTable<>(
                    name,
                    StateDescriptor.Type.TIMERS,
                    keyGroupRange,
                    versions,
                    (TypeSerializer<TimerSlot<N>>) (TypeSerializer<?>) namespaceSerializer,
                    Serializers.BOOLEAN,
                    List.of());
            tables.put(name, table);
        } else if (table.getType() != StateDescriptor.Type.TIMERS) {
            throw new IllegalStateException("'" + name + "' is " + table.getType() + " state, not a timer queue");
        } else if (table.getRestoredMetaInfo() != null) {
            TypeSerializerSchemaCompatibility<?> compatibility = ((TypeSerializerSnapshot<N>)
                            table.getRestoredMetaInfo().getNamespaceSerializer())
                    .resolveSchemaCompatibility(namespaceSerializer);
            if (compatibility.isIncompatible()) {
                throw new StateMigrationException("Timer queue '" + name + "': the new namespace serializer is"
                        + " incompatible with the restored timers: " + compatibility.reason());
            }
        }
        table.registerTimers((TypeSerializer<TimerSlot<N>>) (TypeSerializer<?>) namespaceSerializer);
        queue = new HeapTimerQueue<>(table, numberOfKeyGroups);
        timerQueues.put(name, queue);
        timerTables.put(name, table);
        return queue;
    }

    /** The table restored data of {@code metaInfo} goes into; created with the snapshot's serializers. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    StateTable<K, ?, ?> restoredTable(StateMetaInfo metaInfo) {
        StateTable<K, ?, ?> table = tables.get(metaInfo.getName());
        if (table != null) {
            if (table.getType() != metaInfo.getType()) {
                throw new StateMigrationException("State '" + metaInfo.getName() + "' is " + table.getType()
                        + " state in one restored snapshot and " + metaInfo.getType() + " state in another");
            }
            return table;
        }
        List<TypeSerializer<?>> valueSerializers = metaInfo.restoreValueSerializers();
        TypeSerializer stateSerializer = switch (metaInfo.getType()) {
            case LIST -> Serializers.listOf(valueSerializers.get(0));
            case MAP -> Serializers.mapOf(valueSerializers.get(0), valueSerializers.get(1));
            case TIMERS -> Serializers.BOOLEAN;
            default -> valueSerializers.get(0);
        };
        table = new StateTable<>(
                metaInfo.getName(),
                metaInfo.getType(),
                keyGroupRange,
                versions,
                metaInfo.getNamespaceSerializer().restoreSerializer(),
                stateSerializer,
                valueSerializers);
        table.markRestored(metaInfo);
        tables.put(metaInfo.getName(), table);
        return table;
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
        StateTable<K, N, ?> table = (StateTable<K, N, ?>) tables.get(stateName);
        if (table == null || table.getType() == StateDescriptor.Type.TIMERS || keyGroupRange.isEmpty()) {
            return Stream.empty();
        }
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
        for (StateTable<K, ?, ?> table : tables.values()) {
            if (table.getType() != StateDescriptor.Type.TIMERS) {
                entries += table.size();
            }
        }
        return entries;
    }

    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options) {
        checkOpen();
        if (tables.isEmpty()) {
            return AsyncSnapshotTask.empty();
        }
        int version = versions.startSnapshot();
        long now = ttlTimeProvider.currentTimestamp();
        List<HeapSnapshotWriter.StateView> views = new ArrayList<>(tables.size());
        for (StateTable<K, ?, ?> table : tables.values()) {
            StateTtlConfig ttl = table.getTtlConfig();
            long cleanupTtl = ttl != null && ttl.getCleanupStrategies().fullSnapshot()
                    ? ttl.getTtl().toMillis()
                    : 0;
            views.add(new HeapSnapshotWriter.StateView(
                    table.metaInfo(),
                    table.getType(),
                    table.getNamespaceSerializer(),
                    table.getValueSerializers(),
                    table.snapshotTables(),
                    cleanupTtl,
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

    /** Snapshots whose asynchronous part has not finished; copy-on-write is active while this is non-zero. */
    public int runningSnapshots() {
        return versions.runningSnapshots();
    }

    @Override
    protected void onTreatAsRestored(String stateName) {
        StateTable<K, ?, ?> table = tables.get(stateName);
        if (table != null && table.getType() != StateDescriptor.Type.TIMERS && states.remove(stateName) != null) {
            table.markRestored(table.metaInfo());
            table.setTtlConfig(null);
        }
    }

    /** Releases the state; snapshots whose asynchronous part has not finished end as cancelled. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inFlight.cancelAll();
            tables.clear();
            states.clear();
            clearRegistrations();
            timerQueues.clear();
            timerTables.clear();
        }
    }

    @Override
    public String toString() {
        return "HeapKeyedStateBackend{" + operatorIdentifier + ", " + keyGroupRange + "}";
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.KeyAndNamespace;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.AbstractKeyedStateBackend;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.HeapTimerQueue;
import dev.cairn.state.support.InFlightSnapshots;
import dev.cairn.state.support.KeyedStateRegistry;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed backend of {@code EmbeddedRocksDBStateBackend}: state as serialized bytes in one embedded RocksDB.
 *
 * <p><b>Design.</b> Each state is a column family; an entry's key is key group + key + namespace (see
 * {@link Bytes}), so a key group is one contiguous bytewise range in every column family, which is what snapshots,
 * restores and rescaling work with. Values are the serializers' bytes: lists are merged, not rewritten; map
 * entries are separate keys. Timers live in column families ordered by (key group, timestamp), or on the heap.
 *
 * <p>Checkpoints are native ({@link RocksDBNativeSnapshot}): the synchronous part hard-links the database files
 * into a local RocksDB checkpoint, the asynchronous part uploads them (incremental checkpoints only the SST files
 * the last completed checkpoint did not hold). Savepoints are canonical: the synchronous part takes a RocksDB
 * snapshot (O(1)) and captures the states' meta information; the asynchronous part iterates each key group of
 * each column family at that snapshot and writes the canonical format — copying key, namespace and value bytes
 * without deserializing them — while the task keeps writing. Restores of canonical snapshots do the reverse with
 * write batches; native restores download the files and open them ({@link RocksDBRestoreOperation}). A read-write lock keeps {@link #close()} from freeing native
 * memory under a running snapshot; RocksDB snapshots are released exactly once, by the snapshot or by close.
 *
 * <p>Failure cases: RocksDB errors surface as {@link StateBackendException} naming the state; values or keys too
 * large for RocksDB's 2^31-1 byte limit fail when they are serialized, before anything is written.
 */
public final class RocksDBKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDBKeyedStateBackend.class);

    static {
        RocksDBNativeLibrary.ensureLoaded();
    }

    private final RocksDBSettings settings;
    private final RocksDBInstance instance;
    private final RocksDBStateAccess<K> access;
    private final KeyedStateRegistry<ColumnFamilyHandle> registry = new KeyedStateRegistry<>(new ColumnFamilies());
    private final Map<String, KeyGroupedTimerQueue<K, ?>> timerQueues = new LinkedHashMap<>();
    /** The queues of {@link #timerQueues} that keep timers in a column family (not heap-mode ones). */
    private final List<RocksDBTimerQueue<K, ?>> columnFamilyTimerQueues = new ArrayList<>();
    /** Heap-mode timer queues, including restored ones nobody asked for yet (they are snapshotted too). */
    private final Map<String, HeapModeTimers<K, ?>> heapTimers = new LinkedHashMap<>();
    /** The copy-on-write version clock of the heap-mode timers. */
    private final SnapshotVersions heapTimerVersions = new SnapshotVersions();

    private final InFlightSnapshots inFlight = new InFlightSnapshots();

    private final Map<String, StateMetaInfo> restoredHeapTimerMeta = new HashMap<>();
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Set<Snapshot> liveSnapshots = ConcurrentHashMap.newKeySet();
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);
    private final RocksDBNativeMetricsImpl metrics;
    private final MetricGroup metricGroup;
    private final RocksDBFileTransfer transfer;
    private final UploadedSstFiles uploadedSstFiles = new UploadedSstFiles();
    private final String backendIdentifier = UUID.randomUUID().toString();
    private final AtomicLong localCheckpoints = new AtomicLong();
    private volatile boolean closed;
    /** Whether the constructor's restore runs: column families created meanwhile receive restored data. */
    private boolean restoring;
    /** Other instances' native checkpoints the restore took as whole SST files (rescaling; for tests and logs). */
    private int handlesImported;
    /** States whose column family held or received data other than through this backend's state objects. */
    private final java.util.Set<String> columnFamiliesWithData = new java.util.HashSet<>();

    private final Map<String, ListSizeBounds> listBounds = new java.util.HashMap<>();
    /** Cairn's object cache in front of RocksDB, or {@code null} when it is off. */
    private RocksDBObjectCache cache;

    public RocksDBKeyedStateBackend(KeyedBackendParameters<K> parameters, RocksDBSettings settings) {
        super(parameters);
        this.metricGroup = parameters.getMetricGroup(); // first: a failing constructor's close() closes it
        this.settings = settings;
        this.transfer = new RocksDBFileTransfer(settings.transferThreads(), operatorIdentifier);
        List<KeyedStateHandle> handles = parameters.getRestoreHandles();
        long start = System.nanoTime();
        Path directory = LocalDirectories.create(settings.localDirectories(), operatorIdentifier);
        IncrementalKeyedStateHandle base;
        try {
            base = RocksDBRestoreOperation.chooseBase(handles, keyGroupRange);
            if (base != null) {
                RocksDBRestoreOperation.download(base, directory.resolve(RocksDBInstance.DB_DIRECTORY), transfer);
            }
        } catch (IOException | RuntimeException e) {
            transfer.close();
            LocalDirectories.delete(directory);
            throw restoreFailed(e);
        }
        try {
            this.instance = openInstance(settings, directory);
            this.cache = settings.cacheMaxEntries() > 0
                    ? new RocksDBObjectCache(this::write, settings.cacheMaxEntries(), settings.memoryBudget())
                    : null;
            this.access = new RocksDBStateAccess<>(instance, keySerializer, operatorIdentifier, cache);
        } catch (RuntimeException e) {
            transfer.close();
            LocalDirectories.delete(directory);
            throw base == null ? e : RocksDBRestoreOperation.damaged(base, e);
        }
        if (base != null && settings.verifyRestoredChecksums()) {
            try {
                RocksDBRestoreOperation.verifyChecksums(instance.db, base);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
        this.metrics = new RocksDBNativeMetricsImpl(this, settings.nativeMetrics());
        registerMetrics(settings);
        if (!handles.isEmpty()) {
            restoring = true;
            try {
                var restore = new RocksDBRestoreOperation<>(this, parameters.getClassLoader(), transfer);
                restore.restore(handles, base);
                handlesImported = restore.handlesImported();
            } catch (IOException | RuntimeException e) {
                close();
                throw restoreFailed(e);
            } finally {
                restoring = false;
            }
            LOG.info(
                    "Restored operator '{}' ({}) into RocksDB in {} ms{}",
                    operatorIdentifier,
                    keyGroupRange,
                    (System.nanoTime() - start) / 1_000_000,
                    base == null
                            ? ""
                            : " (native, base " + base.getKeyGroupRange()
                                    + (handlesImported == 0 ? "" : ", " + handlesImported + " more imported as files")
                                    + ")");
        }
    }

    private RuntimeException restoreFailed(Exception e) {
        if (e instanceof StateMigrationException || e instanceof CheckpointException) {
            return (RuntimeException) e;
        }
        return new CheckpointException(
                CheckpointException.Reason.RESTORE_FAILED,
                "Restoring operator '" + operatorIdentifier + "' into RocksDB failed: " + e.getMessage(),
                e);
    }

    private static RocksDBInstance openInstance(RocksDBSettings settings, Path directory) {
        List<AutoCloseable> handles = new ArrayList<>();
        Cache cache =
                settings.memoryBudget() == null ? null : settings.memoryBudget().acquireCache();
        try {
            var dbOptions = RocksDBOptionsAssembler.dbOptions(settings, handles);
            var columnOptions = RocksDBOptionsAssembler.columnOptions(settings, handles, cache);
            return new RocksDBInstance(
                    directory,
                    dbOptions,
                    columnOptions.options(),
                    columnOptions.timerWriteBufferSize(),
                    handles,
                    settings.memoryBudget());
        } catch (RuntimeException e) {
            for (AutoCloseable handle : handles) {
                try {
                    handle.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (settings.memoryBudget() != null) {
                settings.memoryBudget().release();
            }
            throw e;
        }
    }

    /** Identifies this backend instance in native checkpoint handles. */
    String backendIdentifier() {
        return backendIdentifier;
    }

    /**
     * The database, for reads and writes on the task's thread: the state objects' collected writes are written first
     * ({@link RocksDBStateAccess}).
     */
    RocksDB db() {
        checkOpen();
        access.flushPendingWrites();
        return instance.db;
    }

    /**
     * The database as it is, without writing collected writes: for other threads, which must not touch the task's
     * write batch — a snapshot's asynchronous part (it reads a RocksDB snapshot taken after the synchronous part wrote
     * them) and native metrics (properties).
     */
    RocksDB dbAsWritten() {
        checkOpen();
        return instance.db;
    }

    org.rocksdb.ReadOptions readOptions() {
        return instance.readOptions;
    }

    org.rocksdb.WriteOptions writeOptions() {
        return instance.writeOptions;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The RocksDB backend of '" + operatorIdentifier + "' is closed");
        }
    }

    /**
     * Writes the object cache's dirty entries to RocksDB: called before anything reads RocksDB other than through
     * the cached states (snapshots, key iteration, entry counts) — and a bulk write scope's collected writes and the
     * timer queues' collected puts and deletes.
     */
    private void writePendingBeforeDirectReads() {
        if (cache != null) {
            cache.flush();
        }
        access.flushPendingWrites();
        columnFamilyTimerQueues.forEach(RocksDBTimerQueue::writePending);
    }

    @Override
    protected void onCurrentKeyChanged(K key, int keyGroup) {
        access.setCurrentKey(key, keyGroup);
    }

    /**
     * TTL values are stored with timestamps; RocksJava has no pluggable compaction filter, so expired values are
     * removed by incremental cleanup on access, on read, and in full snapshots.
     */
    @Override
    protected Runnable ttlCleanup(String stateName, StateTtlConfig ttl) {
        int entries = ttl.getCleanupStrategies().incrementalCleanupSize();
        if (entries <= 0) {
            return () -> {};
        }
        RocksDBTtlIncrementalCleanup cleanup = new RocksDBTtlIncrementalCleanup(
                this, registry.get(stateName), ttl.getTtl().toMillis(), ttlTimeProvider, entries);
        return cleanup::run;
    }

    @Override
    protected <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        checkOpen();
        return registry.getOrCreate(namespaceSerializer, descriptor, ttl);
    }

    /**
     * The state objects' writes go into write batches until the scope closes; reads write them first. Key order pays
     * on RocksDB: a memtable insert right after its predecessor's is cheap, one at a random place walks the skip
     * list.
     */
    @Override
    public BulkWrites beginBulkWrites() {
        access.beginBulkWrites();
        return new BulkWrites() {
            private boolean ended;

            @Override
            public boolean prefersKeyOrder() {
                return true;
            }

            @Override
            public void close() {
                if (!ended) {
                    ended = true;
                    access.endBulkWrites();
                }
            }
        };
    }

    @Override
    protected void onTreatAsRestored(String stateName) {
        registry.treatAsRestored(stateName);
    }

    /**
     * The size bounds of a list state's lists, one table per state (its state objects share it). A state whose
     * column family this backend created empty, outside a restore, gets a table that bounds every list: appends to it
     * never read.
     */
    private ListSizeBounds listSizeBounds(String stateName) {
        return listBounds.computeIfAbsent(
                stateName,
                name -> new ListSizeBounds(RocksDBListState.trackedLists, !columnFamiliesWithData.contains(name)));
    }

    /** The RocksDB side of the {@link KeyedStateRegistry}: one column family per state. */
    private final class ColumnFamilies implements KeyedStateRegistry.Storage<ColumnFamilyHandle> {
        /** Bytes need no serializer until an entry is read or written. */
        @Override
        public boolean needsRestoredSerializers() {
            return false;
        }

        @Override
        public ColumnFamilyHandle create(
                String name,
                StateKind kind,
                TypeSerializer<?> namespaceSerializer,
                List<TypeSerializer<?>> valueSerializers) {
            // Data that does not go through the state objects: a column family of the opened (native) checkpoint,
            // or one a restore fills.
            if (restoring || instance.hasColumnFamily(name)) {
                columnFamiliesWithData.add(name);
            }
            ColumnFamilyHandle handle = instance.createColumnFamily(name);
            if (kind == StateKind.TIMERS) {
                instance.useTimerWriteBuffer(handle, name);
            }
            return handle;
        }

        /** Rewrites the stored bytes when the new serializers or a TTL change require it. */
        @Override
        public void migrate(
                RegisteredState<ColumnFamilyHandle> state,
                StateMetaInfo.Compatibility compatibility,
                List<TypeSerializer<?>> newValueSerializers) {
            if (cache != null) {
                // The cached objects were made by the old serializers, which a migration or re-registration replaces.
                cache.flushAndForget(state);
            }
            if (compatibility.needsMigration()) {
                new RocksDBStateMigration(RocksDBKeyedStateBackend.this, state)
                        .migrate(
                                newValueSerializers,
                                compatibility.ttlChange().converter(ttlTimeProvider.currentTimestamp()));
            }
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public InternalKvState<?> createState(
                RegisteredState<ColumnFamilyHandle> state, StateDescriptor<?, ?> descriptor) {
            return switch (descriptor.getType()) {
                case VALUE -> new RocksDBValueState<>(access, state, (ValueStateDescriptor) descriptor);
                case LIST -> new RocksDBListState<>(access, state, listSizeBounds(state.name()));
                case MAP -> new RocksDBMapState<>(access, state);
                case REDUCING ->
                    new RocksDBReducingState<>(
                            access, state, ((ReducingStateDescriptor) descriptor).getReduceFunction());
                case AGGREGATING ->
                    new RocksDBAggregatingState<>(
                            access, state, ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
            };
        }
    }

    /** The column family of restored state {@code metaInfo}, created on first sight. */
    RegisteredState<ColumnFamilyHandle> restoredColumnFamily(StateMetaInfo metaInfo) {
        return registry.restored(metaInfo);
    }

    /** Restored heap-mode timers of {@code metaInfo}, kept until the application attaches to them. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    HeapTimerQueue<K, Object> restoredHeapTimers(StateMetaInfo metaInfo) {
        HeapModeTimers timers = heapTimers.get(metaInfo.getName());
        if (timers == null) {
            timers = newHeapTimers(
                    metaInfo.getName(), metaInfo.getNamespaceSerializer().restoreSerializer());
            restoredHeapTimerMeta.put(metaInfo.getName(), metaInfo);
        }
        return timers.queue();
    }

    private <N> HeapModeTimers<K, N> newHeapTimers(String name, TypeSerializer<N> namespaceSerializer) {
        HeapModeTimers<K, N> timers =
                new HeapModeTimers<>(name, namespaceSerializer, keyGroupRange, numberOfKeyGroups, heapTimerVersions);
        heapTimers.put(name, timers);
        return timers;
    }

    boolean timersOnHeap() {
        return settings.timers() == RocksDBOptions.TimerServiceFactory.HEAP;
    }

    /**
     * Timers in a column family are registered like keyed state; heap-mode timers live beside the registry (they
     * have no column family) and get the same checks here.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <N> KeyGroupedTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        checkOpen();
        if (!timersOnHeap()) {
            RegisteredState<ColumnFamilyHandle> state = registry.timers(name, namespaceSerializer);
            return (KeyGroupedTimerQueue<K, N>) timerQueues.computeIfAbsent(name, queue -> {
                RocksDBTimerQueue<K, N> timers = new RocksDBTimerQueue<>(this, state, namespaceSerializer);
                columnFamilyTimerQueues.add(timers);
                return timers;
            });
        }
        RegisteredState<ColumnFamilyHandle> keyed = registry.get(name);
        if (keyed != null) {
            KeyedStateRegistry.checkTimers(name, keyed.kind());
        }
        HeapModeTimers<K, N> heap = (HeapModeTimers<K, N>) heapTimers.get(name);
        StateMetaInfo restored = restoredHeapTimerMeta.get(name);
        if (restored != null) {
            KeyedStateRegistry.checkRestoredTimerNamespace(name, restored, namespaceSerializer, false);
            restoredHeapTimerMeta.remove(name);
            heap.attach(namespaceSerializer);
        } else if (heap == null) {
            heap = newHeapTimers(name, namespaceSerializer);
        } else {
            KeyedStateRegistry.checkSameTimerNamespace(name, heap.namespaceSerializer(), namespaceSerializer);
        }
        timerQueues.putIfAbsent(name, heap.queue());
        return (KeyGroupedTimerQueue<K, N>) timerQueues.get(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> Stream<K> getKeys(String stateName, N namespace) {
        RegisteredState<ColumnFamilyHandle> columnFamily = keyedColumnFamily(stateName);
        writePendingBeforeDirectReads();
        if (columnFamily == null) {
            return Stream.empty();
        }
        byte[] namespaceBytes =
                Bytes.serialize((TypeSerializer<N>) columnFamily.namespaceSerializer(), namespace, scratch, stateName);
        List<K> keys = new ArrayList<>();
        forEachEntry(columnFamily, (key, parsed) -> {
            if (Arrays.equals(
                    key,
                    parsed.namespaceOffset(),
                    parsed.namespaceOffset() + parsed.namespaceLength(),
                    namespaceBytes,
                    0,
                    namespaceBytes.length)) {
                keys.add(Bytes.deserialize(keySerializer, key, parsed.keyOffset(), parsed.keyLength(), stateName));
            }
        });
        return keys.stream();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <N> Stream<KeyAndNamespace<K, N>> getKeysAndNamespaces(String stateName) {
        RegisteredState<ColumnFamilyHandle> columnFamily = keyedColumnFamily(stateName);
        writePendingBeforeDirectReads();
        if (columnFamily == null) {
            return Stream.empty();
        }
        TypeSerializer<N> namespaceSerializer = (TypeSerializer<N>) columnFamily.namespaceSerializer();
        List<KeyAndNamespace<K, N>> pairs = new ArrayList<>();
        forEachEntry(
                columnFamily,
                (key, parsed) -> pairs.add(new KeyAndNamespace<>(
                        Bytes.deserialize(keySerializer, key, parsed.keyOffset(), parsed.keyLength(), stateName),
                        Bytes.deserialize(
                                namespaceSerializer,
                                key,
                                parsed.namespaceOffset(),
                                parsed.namespaceLength(),
                                stateName))));
        return pairs.stream();
    }

    /** The column family of a keyed state (not a timer queue), or {@code null}. */
    private RegisteredState<ColumnFamilyHandle> keyedColumnFamily(String stateName) {
        checkOpen();
        return registry.keyed(stateName);
    }

    /**
     * Calls {@code action} once per (key, namespace) entry of the column family in this backend's key groups, with
     * the first RocksDB key of the entry (a map's entries share the (key, namespace) prefix and are adjacent).
     */
    private void forEachEntry(
            RegisteredState<ColumnFamilyHandle> columnFamily,
            java.util.function.BiConsumer<byte[], Bytes.Parsed> action) {
        byte[] previousPrefix = null;
        try (RocksIterator iterator = instance.db.newIterator(columnFamily.storage(), instance.readOptions)) {
            for (iterator.seek(Bytes.keyGroupPrefix(keyGroupRange.getStartKeyGroup()));
                    iterator.isValid();
                    iterator.next()) {
                byte[] key = iterator.key();
                Bytes.Parsed parsed = Bytes.parse(key);
                if (parsed.keyGroup() > keyGroupRange.getEndKeyGroup()) {
                    break;
                }
                if (previousPrefix != null
                        && Arrays.equals(previousPrefix, 0, previousPrefix.length, key, 0, parsed.restOffset())) {
                    continue; // another entry of the same map
                }
                previousPrefix = Arrays.copyOf(key, parsed.restOffset());
                action.accept(key, parsed);
            }
            if (!iterator.isValid()) {
                RocksIterators.checkStatus(iterator, "the keys of state '" + columnFamily.name() + "'");
            }
        }
    }

    @Override
    public int numKeyValueStateEntries() {
        checkOpen();
        writePendingBeforeDirectReads();
        int entries = 0;
        for (RegisteredState<ColumnFamilyHandle> columnFamily : registry.all()) {
            if (columnFamily.kind() == StateKind.TIMERS) {
                continue;
            }
            byte[] previous = null;
            try (RocksIterator iterator = instance.db.newIterator(columnFamily.storage(), instance.readOptions)) {
                for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                    byte[] key = iterator.key();
                    byte[] entryPrefix = Arrays.copyOf(key, Bytes.parse(key).restOffset());
                    if (previous == null || !Arrays.equals(previous, entryPrefix)) {
                        entries++;
                        previous = entryPrefix;
                    }
                }
                RocksIterators.checkStatus(iterator, "state '" + columnFamily.name() + "'");
            }
        }
        return entries;
    }

    /** What the state objects use of this backend. */
    RocksDBStateAccess<K> stateAccess() {
        return access;
    }

    /** The registered and restored states, each with its column family. */
    KeyedStateRegistry<ColumnFamilyHandle> registry() {
        return registry;
    }

    @Override
    public RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(
            long checkpointId, long timestamp, CheckpointStreamFactory streamFactory, SnapshotOptions options) {
        checkOpen();
        if (registry.isEmpty() && heapTimers.isEmpty()) {
            return AsyncSnapshotTask.empty();
        }
        writePendingBeforeDirectReads(); // the synchronous part: the snapshot sees every update, as without the cache
        int heapTimerVersion = heapTimerVersions.startSnapshot();
        List<RocksDBSnapshotWriter.Source> sources = snapshotSources();
        if (!options.isSavepoint()) {
            return nativeSnapshot(checkpointId, streamFactory, sources, heapTimerVersion);
        }
        Snapshot snapshot = instance.db.getSnapshot();
        liveSnapshots.add(snapshot);
        RocksDBSnapshotWriter<K> writer =
                new RocksDBSnapshotWriter<>(this, snapshot, keySerializer, numberOfKeyGroups, keyGroupRange, sources);
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> {
                            closeLock.readLock().lock();
                            try {
                                checkOpen();
                                return SnapshotResult.of(writer.write(streamFactory, task));
                            } finally {
                                closeLock.readLock().unlock();
                            }
                        },
                        result -> result.getHandle().discardState(),
                        () -> {
                            releaseSnapshot(snapshot);
                            heapTimerVersions.release(heapTimerVersion);
                        })
                .trackedBy(inFlight);
    }

    private RunnableFuture<SnapshotResult<KeyedStateHandle>> nativeSnapshot(
            long checkpointId,
            CheckpointStreamFactory streamFactory,
            List<RocksDBSnapshotWriter.Source> sources,
            int heapTimerVersion) {
        RocksDBSnapshotWriter<K> metaWriter =
                new RocksDBSnapshotWriter<>(this, null, keySerializer, numberOfKeyGroups, keyGroupRange, sources);
        Path localDirectory = instance.directory
                .resolve("checkpoints")
                .resolve("chk-" + checkpointId + "-" + localCheckpoints.incrementAndGet());
        boolean incremental = settings.incrementalCheckpoints();
        RocksDBNativeSnapshot<K> snapshot;
        try {
            snapshot = RocksDBNativeSnapshot.take(
                    this,
                    instance.db,
                    checkpointId,
                    localDirectory,
                    metaWriter,
                    incremental,
                    incremental ? uploadedSstFiles.reusable() : Map.of());
        } catch (RuntimeException e) {
            heapTimerVersions.release(heapTimerVersion);
            throw e;
        }
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> snapshot.upload(streamFactory, transfer, uploadedSstFiles, task),
                        result -> snapshot.discardUploads(uploadedSstFiles),
                        () -> {
                            snapshot.releaseLocalFiles();
                            heapTimerVersions.release(heapTimerVersion);
                        })
                .trackedBy(inFlight);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        uploadedSstFiles.completed(checkpointId);
    }

    @Override
    public void notifyCheckpointAborted(long checkpointId) {
        uploadedSstFiles.aborted(checkpointId);
    }

    /**
     * What a snapshot writes besides column family contents: every state's meta information, heap timers (whose
     * bucket arrays are captured under the heap-timer snapshot version started just before).
     */
    private List<RocksDBSnapshotWriter.Source> snapshotSources() {
        long now = ttlTimeProvider.currentTimestamp();
        List<RocksDBSnapshotWriter.Source> sources = new ArrayList<>();
        for (RegisteredState<ColumnFamilyHandle> columnFamily : registry.all()) {
            sources.add(RocksDBSnapshotWriter.Source.columnFamily(
                    columnFamily.metaInfo(), columnFamily.storage(), columnFamily.fullSnapshotCleanupTtl(), now));
        }
        for (HeapModeTimers<K, ?> timers : heapTimers.values()) {
            StateMetaInfo meta = restoredHeapTimerMeta.containsKey(timers.name())
                    ? restoredHeapTimerMeta.get(timers.name())
                    : new StateMetaInfo(
                            timers.name(),
                            StateKind.TIMERS,
                            timers.namespaceSerializer().snapshotConfiguration(),
                            List.of());
            sources.add(RocksDBSnapshotWriter.Source.heapTimers(
                    meta, timers.namespaceSerializer(), timers.snapshotTables()));
        }
        return sources;
    }

    private void releaseSnapshot(Snapshot snapshot) {
        closeLock.readLock().lock();
        try {
            if (liveSnapshots.remove(snapshot) && !closed) {
                instance.db.releaseSnapshot(snapshot);
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /** RocksDB's native metrics selected by {@code state.backend.rocksdb.metrics.*}. */
    public RocksDBNativeMetricsImpl getNativeMetrics() {
        return metrics;
    }

    /**
     * The native properties switched on, and the managed memory against its budget (Flink's
     * {@code Status.Flink.Memory.Managed.Used/Total}); gauges read under the close lock, so a scrape racing a close
     * reads -1 instead of freed memory.
     */
    private void registerMetrics(RocksDBSettings settings) {
        metrics.register(metricGroup);
        if (cache != null) {
            RocksDBObjectCache objects = cache;
            metricGroup.gauge("cairn.rocksdb.cache.entries", "Entries in the object cache", "entries", objects::size);
            metricGroup.gauge(
                    "cairn.rocksdb.cache.size.estimate",
                    "Estimated bytes of the object cache (serialized key and value plus a fixed overhead per entry)",
                    "bytes",
                    objects::estimatedBytes);
            metricGroup.gauge(
                    "cairn.rocksdb.cache.hits", "Reads the object cache answered, since start", "reads", objects::hits);
            metricGroup.gauge(
                    "cairn.rocksdb.cache.misses",
                    "Reads the object cache passed to RocksDB, since start",
                    "reads",
                    objects::misses);
            metricGroup.gauge(
                    "cairn.rocksdb.cache.evictions",
                    "Entries evicted from the object cache, since start",
                    "entries",
                    objects::evictions);
        }
        RocksDBMemoryBudget budget = settings.memoryBudget();
        if (budget != null) {
            metricGroup.gauge(
                    "cairn.memory.managed.used",
                    "Bytes RocksDB's shared cache holds (blocks and charged memtables) of the managed memory budget",
                    "bytes",
                    () -> readWhileOpen(budget::usage, -1));
            metricGroup.gauge(
                    "cairn.memory.managed.total",
                    "The managed memory budget RocksDB is bounded by",
                    "bytes",
                    budget::getTotalBytes);
        }
    }

    /**
     * Reads {@code read} while the backend is open, on any thread; {@code fallback} once closed or when it fails.
     *
     * @param read what to read from RocksDB
     * @param fallback the value when closed or failing
     * @return the value
     */
    long readWhileOpen(java.util.function.LongSupplier read, long fallback) {
        if (!closeLock.readLock().tryLock()) {
            return fallback;
        }
        try {
            return closed ? fallback : read.getAsLong();
        } catch (RuntimeException e) {
            return fallback;
        } finally {
            closeLock.readLock().unlock();
        }
    }

    List<ColumnFamilyHandle> allColumnFamilies() {
        return instance.columnFamilies();
    }

    Path workingDirectory() {
        return instance.directory;
    }

    org.rocksdb.ColumnFamilyOptions columnOptions() {
        return instance.columnOptions;
    }

    /** {@return how many other instances' native checkpoints the restore imported as whole SST files} */
    int handlesImported() {
        return handlesImported;
    }

    /** See {@link RocksDBInstance#importColumnFamily}; before the state is claimed by a registration. */
    boolean importColumnFamily(
            String stateName,
            boolean ownHasFiles,
            List<org.rocksdb.ExportImportFilesMetaData> others,
            Path exportDirectory)
            throws org.rocksdb.RocksDBException {
        return instance.importColumnFamily(stateName, ownHasFiles, others, exportDirectory);
    }

    /** Whether the opened (restored) database has a column family for {@code stateName} nobody claimed. */
    boolean hasUnclaimedColumnFamily(String stateName) {
        return instance.hasUnclaimedColumnFamily(stateName);
    }

    RocksDBSettings settings() {
        return settings;
    }

    /**
     * Deletes, in every column family, the key groups of {@code restored} outside {@code keep}: what a restored
     * base database holds for other instances after rescaling.
     */
    void deleteKeyGroupsOutside(KeyGroupRange keep, KeyGroupRange restored) {
        try {
            for (ColumnFamilyHandle handle : instance.columnFamilies()) {
                if (restored.getStartKeyGroup() < keep.getStartKeyGroup()) {
                    instance.db.deleteRange(
                            handle, Bytes.keyGroupPrefix(0), Bytes.keyGroupPrefix(keep.getStartKeyGroup()));
                }
                if (restored.getEndKeyGroup() > keep.getEndKeyGroup()) {
                    instance.db.deleteRange(
                            handle, Bytes.keyGroupPrefix(keep.getEndKeyGroup() + 1), new byte[] {(byte) 0xFF});
                }
            }
        } catch (RocksDBException e) {
            throw new StateBackendException("Cannot remove foreign key groups after rescaling: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // Cancel first: a running savepoint writer sees it at its next key group and releases the read lock.
        inFlight.cancelAll();
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            metricGroup.close();
            access.close();
            columnFamilyTimerQueues.forEach(RocksDBTimerQueue::close);
            if (cache != null) {
                cache.release();
            }
            clearRegistrations();
            for (Snapshot snapshot : liveSnapshots) {
                instance.db.releaseSnapshot(snapshot);
            }
            liveSnapshots.clear();
            transfer.close();
            instance.close();
            LocalDirectories.delete(instance.directory);
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    /** Whether {@link #close()} ran; for tests. */
    public boolean isClosed() {
        return closed;
    }

    /** Writes {@code batch} after the state objects' collected writes, then empties it. */
    void write(SerializedWriteBatch batch) {
        access.flushPendingWrites(); // older than the batch: written first
        try {
            batch.writeTo(instance.db, instance.writeOptions);
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB write failed: " + e.getMessage(), e);
        } finally {
            batch.clear();
        }
    }

    @Override
    public String toString() {
        return "RocksDBKeyedStateBackend{" + operatorIdentifier + ", " + keyGroupRange + ", " + instance.directory
                + "}";
    }
}

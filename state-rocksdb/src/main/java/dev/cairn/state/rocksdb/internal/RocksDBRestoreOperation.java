package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.support.CanonicalSnapshotReader;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.HeapTimerQueue;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores snapshots into RocksDB.
 *
 * <p><b>Canonical snapshots</b> (savepoints): for the key groups of the backend's range only, each record's key,
 * namespace and value bytes are laid out as RocksDB keys and values and written in batches — no deserialization,
 * except heap-mode timers.
 *
 * <p><b>Native checkpoints</b> ({@link IncrementalKeyedStateHandle}): the handle overlapping the backend's range
 * the most is the <em>base</em>. Its files are downloaded into the working directory before the database opens
 * ({@link #download}), so the database is simply opened on them — with the same key-group range nothing is
 * re-inserted. When the ranges differ (rescaling), the key groups outside the new range are deleted from the base
 * with range deletions (cheap tombstones; compaction reclaims the space). Other handles whose key groups all
 * belong to the new range (scale-in) are taken as whole files by {@link RocksDBColumnFamilyImport}; every other
 * overlapping handle is downloaded into a temporary directory, opened read-only, and its key groups of the new
 * range are copied into the base with write batches. Each handle's meta stream supplies the states' meta information and heap-mode
 * timers. Timers a checkpoint kept in RocksDB cannot be restored natively into heap-mode timers: that switch
 * needs a savepoint, and the error says so.
 */
final class RocksDBRestoreOperation<K> {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDBRestoreOperation.class);
    private static final int BATCH_BYTES = 4 << 20;

    private final RocksDBKeyedStateBackend<K> backend;
    private final ClassLoader classLoader;
    private final DataOutputSerializer key = new DataOutputSerializer(128);
    private final DataOutputSerializer value = new DataOutputSerializer(256);

    private final RocksDBFileTransfer transfer;
    private int temporaryDatabases;
    private int handlesImported;

    RocksDBRestoreOperation(
            RocksDBKeyedStateBackend<K> backend, ClassLoader classLoader, RocksDBFileTransfer transfer) {
        this.backend = backend;
        this.classLoader = classLoader;
        this.transfer = transfer;
    }

    /** The native handle that overlaps {@code range} in the most key groups, or {@code null} if none does. */
    static IncrementalKeyedStateHandle chooseBase(List<KeyedStateHandle> handles, KeyGroupRange range) {
        IncrementalKeyedStateHandle best = null;
        int bestOverlap = 0;
        for (KeyedStateHandle handle : handles) {
            if (handle instanceof IncrementalKeyedStateHandle incremental) {
                if (incremental.getMetaData().isLegacyKeyGroupHash()) {
                    throw new StateBackendException("The native RocksDB checkpoint " + incremental + " was written"
                            + " with Cairn's earlier key-group hash; its files cannot be re-partitioned by key group."
                            + " Take a savepoint of it with the Cairn version that wrote it: savepoints of any"
                            + " version restore (and are re-partitioned) here");
                }
                int overlap = incremental.getKeyGroupRange().intersection(range).getNumberOfKeyGroups();
                if (overlap > bestOverlap) {
                    best = incremental;
                    bestOverlap = overlap;
                }
            }
        }
        return best;
    }

    /** Downloads the database files of a native checkpoint into {@code directory}. */
    static void download(IncrementalKeyedStateHandle handle, Path directory, RocksDBFileTransfer transfer)
            throws IOException {
        List<IncrementalKeyedStateHandle.NamedFile> files = new ArrayList<>(handle.getDataFiles());
        files.addAll(handle.getPrivateFiles());
        transfer.download(files, directory);
    }

    /**
     * Checks every block of the database opened on {@code handle}'s files against its checksum. RocksDB verifies
     * a block only when it reads it; without this a damaged block of a restored file would surface (or, in an
     * iteration that the caller does not check, look like the end of the data) long after the restore.
     */
    static void verifyChecksums(RocksDB db, IncrementalKeyedStateHandle handle) {
        long start = System.nanoTime();
        try {
            db.verifyChecksum();
        } catch (RocksDBException e) {
            throw damaged(handle, e);
        }
        LOG.debug("Verified the block checksums of {} in {} ms", handle, (System.nanoTime() - start) / 1_000_000);
    }

    /** The error for a native checkpoint whose files RocksDB cannot open or read; it names the files. */
    static CorruptCheckpointException damaged(IncrementalKeyedStateHandle handle, Exception cause) {
        if (cause instanceof CorruptCheckpointException corrupt) {
            return corrupt;
        }
        StringBuilder files = new StringBuilder();
        for (IncrementalKeyedStateHandle.NamedFile file : handle.getPrivateFiles()) {
            files.append(files.isEmpty() ? "" : ", ")
                    .append(file.name())
                    .append(" (")
                    .append(file.stream().describe())
                    .append(')');
        }
        int dataFiles = handle.getDataFiles().size();
        // RocksDB names the local copy; name the checkpoint's file it was downloaded from.
        StringBuilder culprit = new StringBuilder();
        String reported = String.valueOf(cause.getMessage());
        for (IncrementalKeyedStateHandle.NamedFile file : handle.getDataFiles()) {
            if (reported.contains(file.name())) {
                culprit.append(" ")
                        .append(file.name())
                        .append(" is ")
                        .append(file.stream().describe())
                        .append('.');
            }
        }
        return new CorruptCheckpointException(
                "The files of native checkpoint " + handle + " are damaged: RocksDB reports '" + reported + "'."
                        + culprit + " Its database files are " + files + " and " + dataFiles + " SST file"
                        + (dataFiles == 1 ? "" : "s") + "; restore from an earlier checkpoint or a savepoint",
                cause);
    }

    /**
     * Restores {@code handles} into the backend, whose database was opened on the files of {@code base} (one of
     * the handles, or {@code null}).
     */
    void restore(List<KeyedStateHandle> handles, IncrementalKeyedStateHandle base) throws IOException {
        KeyGroupRange range = backend.getKeyGroupRange();
        // Before any state claims a column family: the import replaces the base's column families.
        java.util.Set<KeyedStateHandle> imported =
                new RocksDBColumnFamilyImport(backend, transfer, this::statesOf).importContained(handles, base, range);
        handlesImported = imported.size();
        if (base != null) {
            // Every state but timers has its column family in a native checkpoint, empty or not: one missing
            // means the database files (their MANIFEST) do not match the meta information.
            KeyGroupsStateHandle meta = base.getMetaData();
            backend.deleteKeyGroupsOutside(range, base.getKeyGroupRange());
            List<StateMetaInfo> states = restoreHandle((KeyGroupsStateHandle) meta.getIntersection(range), base);
            for (StateMetaInfo state : states) {
                if (state.getKind() == StateKind.TIMERS && backend.hasUnclaimedColumnFamily(state.getName())) {
                    throw timersNotOnHeap(state.getName());
                }
            }
        }
        for (KeyedStateHandle handle : handles) {
            if (handle == base || handle.getIntersection(range) == null) {
                continue;
            }
            if (imported.contains(handle)) {
                // Its entries are in the imported files; the meta stream registers its states and heap timers.
                restoreHandle(
                        (KeyGroupsStateHandle) ((IncrementalKeyedStateHandle) handle)
                                .getMetaData()
                                .getIntersection(range),
                        null);
            } else if (handle instanceof KeyGroupsStateHandle keyGroups) {
                restoreHandle((KeyGroupsStateHandle) keyGroups.getIntersection(range), null);
            } else if (handle instanceof IncrementalKeyedStateHandle incremental) {
                copyKeyGroups(incremental, range);
            } else {
                throw new StateBackendException(
                        "Cannot restore a " + handle.getClass().getName() + " into RocksDB");
            }
        }
    }

    static StateBackendException timersNotOnHeap(String name) {
        return new StateBackendException("Timer queue '" + name + "' was checkpointed with its timers in RocksDB, but"
                + " this backend keeps timers on the heap (" + RocksDBOptions.TIMER_SERVICE_FACTORY.key()
                + "); a native checkpoint cannot switch: restore from a savepoint, or configure 'ROCKSDB' timers");
    }

    /** {@return how many other handles the last {@link #restore} took as whole files} */
    int handlesImported() {
        return handlesImported;
    }

    private List<StateMetaInfo> statesOf(KeyedStateHandle meta) throws IOException {
        try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open((KeyGroupsStateHandle) meta, classLoader)) {
            return reader.getStates();
        }
    }

    /** Copies the key groups of {@code range} from another native checkpoint (rescaling). */
    private void copyKeyGroups(IncrementalKeyedStateHandle handle, KeyGroupRange range) throws IOException {
        KeyGroupRange overlap = handle.getKeyGroupRange().intersection(range);
        List<StateMetaInfo> states =
                restoreHandle((KeyGroupsStateHandle) handle.getMetaData().getIntersection(range), null);
        Path directory = backend.workingDirectory().resolve("restore-" + temporaryDatabases++);
        try {
            download(handle, directory, transfer);
            List<byte[]> names;
            try {
                names = RocksDBInstance.existingColumnFamilyNames(directory);
            } catch (RocksDBException e) {
                throw damaged(handle, e);
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : names) {
                descriptors.add(new ColumnFamilyDescriptor(name, backend.columnOptions()));
            }
            List<ColumnFamilyHandle> sources = new ArrayList<>();
            try (DBOptions options = new DBOptions();
                    RocksDB source = RocksDB.openReadOnly(options, directory.toString(), descriptors, sources)) {
                try {
                    if (backend.settings().verifyRestoredChecksums()) {
                        verifyChecksums(source, handle);
                    }
                    for (int i = 0; i < names.size(); i++) {
                        String name = new String(names.get(i), StandardCharsets.UTF_8);
                        if (!name.startsWith(RocksDBInstance.columnFamilyName(""))) {
                            continue; // the default column family holds nothing
                        }
                        String stateName = name.substring(
                                RocksDBInstance.columnFamilyName("").length());
                        copyColumnFamily(source, sources.get(i), stateName, states, overlap);
                    }
                } finally {
                    sources.forEach(ColumnFamilyHandle::close);
                }
            } catch (RocksDBException e) {
                throw damaged(handle, e);
            }
        } finally {
            LocalDirectories.delete(directory);
        }
    }

    private void copyColumnFamily(
            RocksDB source, ColumnFamilyHandle from, String stateName, List<StateMetaInfo> states, KeyGroupRange range)
            throws RocksDBException {
        RegisteredState<ColumnFamilyHandle> target = backend.registry().get(stateName);
        boolean known = states.stream().anyMatch(state -> state.getName().equals(stateName));
        if (target == null || !known) {
            if (known && backend.timersOnHeap()) {
                throw timersNotOnHeap(stateName);
            }
            throw new StateBackendException("Native checkpoint holds column family of state '" + stateName
                    + "' that its meta information does not describe");
        }
        SerializedWriteBatch batch = new SerializedWriteBatch(64 * 1024);
        try (RocksIterator iterator = source.newIterator(from)) {
            for (iterator.seek(Bytes.keyGroupPrefix(range.getStartKeyGroup())); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                if (Bytes.readKeyGroup(key) > range.getEndKeyGroup()) {
                    break;
                }
                byte[] value = iterator.value();
                batch.put(target.storage(), key, key.length, value, value.length);
                if (batch.sizeInBytes() > BATCH_BYTES) {
                    backend.write(batch);
                }
            }
            try {
                iterator.status();
            } catch (RocksDBException e) {
                throw new CorruptCheckpointException(
                        "Copying state '" + stateName
                                + "' from a downloaded native checkpoint failed (its files are damaged): "
                                + e.getMessage(),
                        e);
            }
            backend.write(batch);
        }
    }

    private record Target(
            StateMetaInfo metaInfo,
            RegisteredState<ColumnFamilyHandle> columnFamily,
            HeapTimerQueue<?, Object> heapTimers,
            TypeSerializer<?> timerNamespaceSerializer) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<StateMetaInfo> restoreHandle(KeyGroupsStateHandle handle, IncrementalKeyedStateHandle openedBase)
            throws IOException {
        SerializedWriteBatch batch = new SerializedWriteBatch(64 * 1024);
        try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, classLoader)) {
            TypeSerializer<K> restoredKeySerializer =
                    reader.checkRestorableInto(backend.getNumberOfKeyGroups(), backend.getKeySerializer(), true);
            // A snapshot of Cairn's earlier key-group hash: every key is assigned its key group again.
            boolean rehash = reader.isLegacyKeyGroupHash();
            if (rehash && !handle.isLegacyKeyGroupHash()) {
                throw new CorruptCheckpointException(handle.getStream().describe()
                        + " is partitioned by the earlier key-group hash, but its metadata says otherwise");
            }
            KeyGroupRange range = backend.getKeyGroupRange();
            List<Target> targets = new ArrayList<>();
            for (StateMetaInfo metaInfo : reader.getStates()) {
                if (metaInfo.getKind() == StateKind.TIMERS && backend.timersOnHeap()) {
                    targets.add(new Target(
                            metaInfo,
                            null,
                            backend.restoredHeapTimers(metaInfo),
                            metaInfo.getNamespaceSerializer().restoreSerializer()));
                } else {
                    if (openedBase != null
                            && metaInfo.getKind() != StateKind.TIMERS
                            && !backend.hasUnclaimedColumnFamily(metaInfo.getName())) {
                        throw damaged(
                                openedBase,
                                new IllegalStateException("the database has no column family for state '"
                                        + metaInfo.getName() + "' that the checkpoint's meta information lists"));
                    }
                    targets.add(new Target(metaInfo, backend.restoredColumnFamily(metaInfo), null, null));
                }
            }
            for (int stored : handle.getKeyGroupRange()) {
                reader.seekKeyGroup(stored);
                for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                    Target target = targets.get(index);
                    byte[] keyBytes = reader.readBytes();
                    byte[] namespaceBytes = reader.readBytes();
                    int keyGroup = rehash
                            ? KeyGroupRangeAssignment.assignToKeyGroup(
                                    Bytes.deserialize(restoredKeySerializer, keyBytes, 0, keyBytes.length, "keys"),
                                    backend.getNumberOfKeyGroups())
                            : stored;
                    if (!range.contains(keyGroup)) {
                        reader.skipRecordRest(target.metaInfo().getKind());
                        continue;
                    }
                    if (target.heapTimers() != null) {
                        K timerKey = Bytes.deserialize(restoredKeySerializer, keyBytes, 0, keyBytes.length, "timers");
                        Object namespace = Bytes.deserialize(
                                (TypeSerializer) target.timerNamespaceSerializer(),
                                namespaceBytes,
                                0,
                                namespaceBytes.length,
                                "timers");
                        ((HeapTimerQueue) target.heapTimers()).add(new Timer<>(timerKey, namespace, reader.readLong()));
                        continue;
                    }
                    key.clear();
                    value.clear();
                    Bytes.writeKeyGroup(key, keyGroup);
                    switch (target.metaInfo().getKind()) {
                        case TIMERS -> {
                            key.writeLong(reader.readLong() ^ Long.MIN_VALUE);
                            Bytes.writeField(key, keyBytes, 0, keyBytes.length);
                            Bytes.writeField(key, namespaceBytes, 0, namespaceBytes.length);
                        }
                        case LIST -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            int count = reader.readCount();
                            for (int i = 0; i < count; i++) {
                                byte[] element = reader.readBytes();
                                Bytes.writeField(value, element, 0, element.length);
                            }
                        }
                        case MAP -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            key.write(reader.readBytes());
                            if (reader.readBoolean()) {
                                value.writeByte(1);
                            } else {
                                value.writeByte(0);
                                value.write(reader.readBytes());
                            }
                        }
                        default -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            value.write(reader.readBytes());
                        }
                    }
                    batch.put(
                            target.columnFamily().storage(),
                            key.getSharedBuffer(),
                            key.length(),
                            value.getSharedBuffer(),
                            value.length());
                    if (batch.sizeInBytes() > BATCH_BYTES) {
                        backend.write(batch);
                    }
                }
            }
            backend.write(batch);
            return reader.getStates();
        }
    }

    private void writeEntryKey(byte[] keyBytes, byte[] namespaceBytes) throws IOException {
        Bytes.writeField(key, keyBytes, 0, keyBytes.length);
        Bytes.writeField(key, namespaceBytes, 0, namespaceBytes.length);
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.ExportImportFilesMetaData;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of a rescaled native restore: other instances' checkpoints whose key groups all belong to the
 * restoring backend (scale-in) are taken as whole SST files instead of entry by entry. Each is downloaded and opened
 * beside the base database, each of its column families is exported (hard links), and the base's column family of
 * the same state is replaced by one imported from its own files together with theirs — RocksDB links the files in
 * and rewrites nothing.
 *
 * <p>RocksDB imports several databases' files into one column family only if their key ranges do not overlap.
 * Key groups are key prefixes, so the instances' ranges are disjoint — unless a database still holds files of an
 * earlier rescaling whose foreign key groups are only covered by range deletions. Such a handle (any of whose
 * column families overlaps what is already taken) is left to the copy path, as is a handle whose import RocksDB
 * refuses anyway; copying over entries imported before is harmless (the same bytes are written again).
 */
final class RocksDBColumnFamilyImport {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDBColumnFamilyImport.class);
    private static final String STATE_PREFIX = RocksDBInstance.columnFamilyName("");

    /**
     * Whether a handle whose files overlap is left to the copy before RocksDB is asked; tests switch it off to make
     * RocksDB refuse the import and exercise the fallback.
     */
    static boolean checkOverlapsFirst = true;

    private final RocksDBKeyedStateBackend<?> backend;
    private final RocksDBFileTransfer transfer;
    private final StatesReader statesOf;

    /**
     * @param statesOf the states a handle's meta information describes
     */
    RocksDBColumnFamilyImport(
            RocksDBKeyedStateBackend<?> backend, RocksDBFileTransfer transfer, StatesReader statesOf) {
        this.backend = backend;
        this.transfer = transfer;
        this.statesOf = statesOf;
    }

    /** Reads the states a handle's meta information describes. */
    @FunctionalInterface
    interface StatesReader {
        List<StateMetaInfo> read(KeyedStateHandle meta) throws IOException;
    }

    /**
     * Imports the key groups of every other native handle inside {@code range} into the base database (opened,
     * nothing claimed yet).
     *
     * @return the handles imported in full; the others must be copied (all, when there is no base inside the range)
     */
    Set<KeyedStateHandle> importContained(
            List<KeyedStateHandle> handles, IncrementalKeyedStateHandle base, KeyGroupRange range) throws IOException {
        if (base == null || !contains(range, base.getKeyGroupRange())) {
            return Set.of();
        }
        List<IncrementalKeyedStateHandle> candidates = candidates(handles, base, range);
        if (candidates.isEmpty()) {
            return Set.of();
        }
        long start = System.nanoTime();
        Map<String, byte[][]> baseRanges = liveKeyRanges(backend.db());
        // Per state, the key ranges of the files taken so far (the base's, then each accepted handle's).
        Map<String, List<byte[][]>> taken = new HashMap<>();
        baseRanges.forEach((name, bounds) ->
                taken.computeIfAbsent(name, n -> new ArrayList<>()).add(bounds));
        List<Source> sources = new ArrayList<>();
        try {
            for (IncrementalKeyedStateHandle handle : candidates) {
                Source source = Source.open(handle, backend, transfer, sources.size());
                sources.add(source);
                source.checkDescribed(statesOf.read(handle.getMetaData()), backend.timersOnHeap());
                Map<String, byte[][]> ranges = source.liveKeyRanges();
                if (checkOverlapsFirst && overlaps(taken, ranges)) {
                    LOG.info("Copying the key groups of {}: its files overlap others' (an earlier rescaling)", handle);
                    source.importable = false;
                    continue;
                }
                ranges.forEach((name, bounds) ->
                        taken.computeIfAbsent(name, n -> new ArrayList<>()).add(bounds));
            }
            Map<String, List<Source>> byState = new LinkedHashMap<>();
            Map<String, List<ExportImportFilesMetaData>> exports = new LinkedHashMap<>();
            for (Source source : sources) {
                if (source.importable) {
                    source.export(byState, exports);
                }
            }
            try {
                int index = 0;
                for (Map.Entry<String, List<ExportImportFilesMetaData>> state : exports.entrySet()) {
                    Path exportDirectory = backend.workingDirectory().resolve("import-base-" + index++);
                    boolean baseHasFiles = baseRanges.containsKey(state.getKey());
                    if (!backend.importColumnFamily(state.getKey(), baseHasFiles, state.getValue(), exportDirectory)) {
                        byState.get(state.getKey()).forEach(source -> source.importable = false);
                    }
                }
            } finally {
                exports.values().forEach(list -> list.forEach(ExportImportFilesMetaData::close));
            }
            Set<KeyedStateHandle> imported = sources.stream()
                    .filter(source -> source.importable)
                    .map(source -> source.handle)
                    .collect(Collectors.toSet());
            LOG.debug(
                    "Imported the files of {} of {} other native checkpoints in {} ms",
                    imported.size(),
                    sources.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return imported;
        } catch (RocksDBException e) {
            throw new StateBackendException("Importing restored column families failed: " + e.getMessage(), e);
        } finally {
            sources.forEach(Source::close);
        }
    }

    private static List<IncrementalKeyedStateHandle> candidates(
            List<KeyedStateHandle> handles, IncrementalKeyedStateHandle base, KeyGroupRange range) {
        List<IncrementalKeyedStateHandle> candidates = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle != base
                    && handle instanceof IncrementalKeyedStateHandle incremental
                    && contains(range, incremental.getKeyGroupRange())) {
                candidates.add(incremental);
            }
        }
        return candidates;
    }

    private static boolean contains(KeyGroupRange outer, KeyGroupRange inner) {
        return inner.getNumberOfKeyGroups() > 0
                && outer.getStartKeyGroup() <= inner.getStartKeyGroup()
                && inner.getEndKeyGroup() <= outer.getEndKeyGroup();
    }

    /** Whether any column family's key range in {@code ranges} overlaps one taken for the same state. */
    private static boolean overlaps(Map<String, List<byte[][]>> taken, Map<String, byte[][]> ranges) {
        for (Map.Entry<String, byte[][]> entry : ranges.entrySet()) {
            byte[][] bounds = entry.getValue();
            for (byte[][] other : taken.getOrDefault(entry.getKey(), List.of())) {
                if (Arrays.compareUnsigned(bounds[0], other[1]) <= 0
                        && Arrays.compareUnsigned(other[0], bounds[1]) <= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[][] span(byte[][] a, byte[][] b) {
        return new byte[][] {
            Arrays.compareUnsigned(a[0], b[0]) <= 0 ? a[0] : b[0], Arrays.compareUnsigned(a[1], b[1]) >= 0 ? a[1] : b[1]
        };
    }

    /**
     * The smallest and largest key of the SST files of each state's column family in {@code db} (range deletions
     * included); column families without files are absent.
     */
    static Map<String, byte[][]> liveKeyRanges(RocksDB db) {
        Map<String, byte[][]> ranges = new HashMap<>();
        for (LiveFileMetaData file : db.getLiveFilesMetaData()) {
            String name = new String(file.columnFamilyName(), StandardCharsets.UTF_8);
            if (name.startsWith(STATE_PREFIX)) {
                ranges.merge(
                        name.substring(STATE_PREFIX.length()),
                        new byte[][] {file.smallestKey(), file.largestKey()},
                        RocksDBColumnFamilyImport::span);
            }
        }
        return ranges;
    }

    /** Another instance's native checkpoint, downloaded and opened beside the base. */
    private static final class Source implements AutoCloseable {
        final IncrementalKeyedStateHandle handle;
        final Path directory;
        final DBOptions options;
        final List<ColumnFamilyHandle> columnFamilies = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        RocksDB db;
        boolean importable = true;

        private Source(IncrementalKeyedStateHandle handle, Path directory) {
            this.handle = handle;
            this.directory = directory;
            this.options = new DBOptions();
        }

        static Source open(
                IncrementalKeyedStateHandle handle,
                RocksDBKeyedStateBackend<?> backend,
                RocksDBFileTransfer transfer,
                int index)
                throws IOException {
            Source source = new Source(handle, backend.workingDirectory().resolve("import-" + index));
            try {
                Path databaseDirectory = source.directory.resolve(RocksDBInstance.DB_DIRECTORY);
                RocksDBRestoreOperation.download(handle, databaseDirectory, transfer);
                List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
                for (byte[] name : RocksDBInstance.existingColumnFamilyNames(databaseDirectory)) {
                    descriptors.add(new ColumnFamilyDescriptor(name, backend.columnOptions()));
                    source.names.add(new String(name, StandardCharsets.UTF_8));
                }
                // Read-write: exporting flushes the (empty) memtables, which a read-only database refuses.
                source.db =
                        RocksDB.open(source.options, databaseDirectory.toString(), descriptors, source.columnFamilies);
                if (backend.settings().verifyRestoredChecksums()) {
                    RocksDBRestoreOperation.verifyChecksums(source.db, handle);
                }
                return source;
            } catch (RocksDBException e) {
                source.close();
                throw RocksDBRestoreOperation.damaged(handle, e);
            } catch (IOException | RuntimeException e) {
                source.close();
                throw e;
            }
        }

        /** Every state column family must be one the handle's meta information describes, as the copy checks. */
        void checkDescribed(List<StateMetaInfo> states, boolean timersOnHeap) {
            Map<String, StateKind> kinds = new HashMap<>();
            states.forEach(state -> kinds.put(state.getName(), state.getKind()));
            for (String name : names) {
                if (!name.startsWith(STATE_PREFIX)) {
                    continue;
                }
                String state = name.substring(STATE_PREFIX.length());
                StateKind kind = kinds.get(state);
                if (kind == null) {
                    throw new StateBackendException("Native checkpoint holds column family of state '" + state
                            + "' that its meta information does not describe");
                }
                if (kind == StateKind.TIMERS && timersOnHeap) {
                    throw RocksDBRestoreOperation.timersNotOnHeap(state);
                }
            }
        }

        Map<String, byte[][]> liveKeyRanges() {
            return RocksDBColumnFamilyImport.liveKeyRanges(db);
        }

        /** Exports each state column family that has files; records which source contributed to which state. */
        void export(Map<String, List<Source>> byState, Map<String, List<ExportImportFilesMetaData>> exports)
                throws RocksDBException {
            Set<String> withFiles = liveKeyRanges().keySet();
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (!name.startsWith(STATE_PREFIX) || !withFiles.contains(name.substring(STATE_PREFIX.length()))) {
                        continue;
                    }
                    String state = name.substring(STATE_PREFIX.length());
                    Path target = directory.resolve("export-" + i);
                    exports.computeIfAbsent(state, s -> new ArrayList<>())
                            .add(checkpoint.exportColumnFamily(columnFamilies.get(i), target.toString()));
                    byState.computeIfAbsent(state, s -> new ArrayList<>()).add(this);
                }
            }
        }

        @Override
        public void close() {
            columnFamilies.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            options.close();
            LocalDirectories.delete(directory);
        }
    }
}

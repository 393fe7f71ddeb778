package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ExportImportFilesMetaData;
import org.rocksdb.ImportColumnFamilyOptions;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB with its options and column families. Every native object is registered here when created
 * and closed exactly once, in reverse order, by {@link #close()} (column families before the DB, the DB before
 * its options); the shared memory budget is released last.
 *
 * <p>The working directory holds the database in {@code db/} and, beside it, the native checkpoints being
 * uploaded and the databases being downloaded for a restore. When {@code db/} already holds a database (a
 * downloaded native checkpoint), it is opened with all its column families, which {@link #createColumnFamily}
 * then hands out instead of creating them.
 */
final class RocksDBInstance implements AutoCloseable {
    static final String DB_DIRECTORY = "db";

    static {
        RocksDBNativeLibrary.ensureLoaded();
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    /** Read by metric gauges on a reporter's thread while state registration adds to it. */
    private final List<ColumnFamilyHandle> columnFamilies = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final RocksDBMemoryBudget budget;
    final RocksDB db;
    final ColumnFamilyOptions columnOptions;
    private final long timerWriteBufferSize;
    final WriteOptions writeOptions;
    final ReadOptions readOptions;
    final Path directory;
    final Path dbDirectory;
    private final Map<String, ColumnFamilyHandle> existingColumnFamilies = new HashMap<>();
    private boolean closed;

    /**
     * Opens the DB in {@code directory/db} (creating it unless it exists); takes ownership of {@code nativeHandles} (options and what they use) and
     * of one acquisition of {@code budget} (may be {@code null}).
     */
    RocksDBInstance(
            Path directory,
            DBOptions dbOptions,
            ColumnFamilyOptions columnOptions,
            long timerWriteBufferSize,
            List<AutoCloseable> nativeHandles,
            RocksDBMemoryBudget budget) {
        this.directory = directory;
        this.dbDirectory = directory.resolve(DB_DIRECTORY);
        this.budget = budget;
        nativeHandles.forEach(resources::push);
        resources.push(dbOptions);
        resources.push(columnOptions);
        this.columnOptions = columnOptions;
        this.timerWriteBufferSize = timerWriteBufferSize;
        this.writeOptions = register(new WriteOptions().setDisableWAL(true));
        this.readOptions = register(new ReadOptions());
        try {
            List<byte[]> names = existingColumnFamilyNames(dbDirectory);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : names) {
                descriptors.add(new ColumnFamilyDescriptor(name, columnOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            this.db = RocksDB.open(dbOptions, dbDirectory.toString(), descriptors, handles);
            resources.push(db);
            columnFamilies.addAll(handles);
            for (int i = 0; i < names.size(); i++) {
                existingColumnFamilies.put(new String(names.get(i), StandardCharsets.UTF_8), handles.get(i));
            }
        } catch (RocksDBException e) {
            close();
            throw new StateBackendException("Cannot open RocksDB in " + dbDirectory + ": " + e.getMessage(), e);
        }
    }

    /** The column families of the database in {@code dbDirectory}; just the default one when there is none yet. */
    static List<byte[]> existingColumnFamilyNames(Path dbDirectory) throws RocksDBException {
        if (!Files.exists(dbDirectory.resolve("CURRENT"))) {
            return List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
        }
        try (Options options = new Options()) {
            return RocksDB.listColumnFamilies(options, dbDirectory.toString());
        }
    }

    /** The name of the column family holding state {@code stateName}. */
    static String columnFamilyName(String stateName) {
        return "state:" + stateName;
    }

    <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    /** The column family of state {@code name}: the restored one if the opened database has it, else a new one. */
    /** Whether the opened database has a column family for state {@code name} that nobody took yet. */
    boolean hasColumnFamily(String name) {
        return existingColumnFamilies.containsKey(columnFamilyName(name));
    }

    ColumnFamilyHandle createColumnFamily(String name) {
        ColumnFamilyHandle existing = existingColumnFamilies.remove(columnFamilyName(name));
        if (existing != null) {
            return existing;
        }
        try {
            ColumnFamilyHandle handle = db.createColumnFamily(
                    new ColumnFamilyDescriptor(columnFamilyName(name).getBytes(StandardCharsets.UTF_8), columnOptions));
            columnFamilies.add(handle);
            return handle;
        } catch (RocksDBException e) {
            throw new StateBackendException("Cannot create the column family of state '" + name + "': " + e, e);
        }
    }

    /**
     * Gives a timer queue's column family its own write buffer size ({@link
     * RocksDBOptionsAssembler#TIMER_WRITE_BUFFER_BYTES}); a mutable option, so it applies to a created, restored or
     * imported column family alike.
     */
    void useTimerWriteBuffer(ColumnFamilyHandle handle, String name) {
        if (timerWriteBufferSize == columnOptions.writeBufferSize()) {
            return;
        }
        try {
            db.setOptions(
                    handle,
                    MutableColumnFamilyOptions.builder()
                            .setWriteBufferSize(timerWriteBufferSize)
                            .build());
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "Cannot set the write buffer size of timer queue '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the unclaimed column family of state {@code name} — if the opened database has one with files — by
     * one imported from those files together with {@code others} (column families exported from other databases,
     * whose keys must not overlap its own). RocksDB links the files in; nothing is rewritten. If RocksDB refuses
     * the import, the column family is re-imported from its own files alone.
     *
     * @param ownHasFiles whether this database's column family of the state has SST files (an empty one is not
     *     exported: RocksDB imports no empty set)
     * @param exportDirectory where this database's column family is exported to; must not exist
     * @return whether {@code others} were imported
     */
    boolean importColumnFamily(
            String name, boolean ownHasFiles, List<ExportImportFilesMetaData> others, Path exportDirectory)
            throws RocksDBException {
        byte[] cfName = columnFamilyName(name).getBytes(StandardCharsets.UTF_8);
        ColumnFamilyHandle own = existingColumnFamilies.get(columnFamilyName(name));
        ExportImportFilesMetaData ownExport = null;
        try (Checkpoint checkpoint = Checkpoint.create(db);
                ImportColumnFamilyOptions options = new ImportColumnFamilyOptions().setMoveFiles(true)) {
            List<ExportImportFilesMetaData> all = new ArrayList<>(others);
            if (own != null && ownHasFiles) {
                ownExport = checkpoint.exportColumnFamily(own, exportDirectory.toString());
                all.add(0, ownExport);
            }
            if (own != null) {
                db.dropColumnFamily(own);
                existingColumnFamilies.remove(columnFamilyName(name));
                columnFamilies.remove(own);
                own.close();
            }
            ColumnFamilyDescriptor descriptor = new ColumnFamilyDescriptor(cfName, columnOptions);
            try {
                adopt(name, db.createColumnFamilyWithImport(descriptor, options, all));
                return true;
            } catch (RocksDBException refused) {
                org.slf4j.LoggerFactory.getLogger(RocksDBInstance.class)
                        .info("RocksDB refused to import the files of state '{}': {}", name, refused.getMessage());
                if (ownExport != null) {
                    adopt(name, db.createColumnFamilyWithImport(descriptor, options, ownExport));
                } else if (own != null) {
                    adopt(name, db.createColumnFamily(descriptor));
                }
                return false;
            }
        } finally {
            if (ownExport != null) {
                ownExport.close();
            }
            LocalDirectories.delete(exportDirectory);
        }
    }

    private void adopt(String name, ColumnFamilyHandle handle) {
        columnFamilies.add(handle);
        existingColumnFamilies.put(columnFamilyName(name), handle);
    }

    List<ColumnFamilyHandle> columnFamilies() {
        return columnFamilies;
    }

    /** Whether the opened database has a column family for state {@code name} nobody has asked for yet. */
    boolean hasUnclaimedColumnFamily(String name) {
        return existingColumnFamilies.containsKey(columnFamilyName(name));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Column families must be closed before the DB that owns them.
        for (ColumnFamilyHandle handle : columnFamilies) {
            handle.close();
        }
        columnFamilies.clear();
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(RocksDBInstance.class).warn("Closing a RocksDB resource failed", e);
            }
        }
        if (budget != null) {
            budget.release();
        }
    }
}

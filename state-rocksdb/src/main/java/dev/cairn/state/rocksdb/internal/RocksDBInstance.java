package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB with its options and column families. Every native object is registered here when created
 * and closed exactly once, in reverse order, by {@link #close()} (column families before the DB, the DB before
 * its options); the shared memory budget is released last.
 */
final class RocksDBInstance implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<ColumnFamilyHandle> columnFamilies = new ArrayList<>();
    private final RocksDBMemoryBudget budget;
    final RocksDB db;
    final ColumnFamilyOptions columnOptions;
    final WriteOptions writeOptions;
    final ReadOptions readOptions;
    final Path directory;
    private boolean closed;

    /**
     * Opens a DB in {@code directory}; takes ownership of {@code nativeHandles} (options and what they use) and
     * of one acquisition of {@code budget} (may be {@code null}).
     */
    RocksDBInstance(
            Path directory,
            DBOptions dbOptions,
            ColumnFamilyOptions columnOptions,
            List<AutoCloseable> nativeHandles,
            RocksDBMemoryBudget budget) {
        this.directory = directory;
        this.budget = budget;
        nativeHandles.forEach(resources::push);
        resources.push(dbOptions);
        resources.push(columnOptions);
        this.columnOptions = columnOptions;
        this.writeOptions = register(new WriteOptions().setDisableWAL(true));
        this.readOptions = register(new ReadOptions());
        try {
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            this.db = RocksDB.open(
                    dbOptions,
                    directory.toString(),
                    List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions)),
                    handles);
            resources.push(db);
            columnFamilies.addAll(handles);
        } catch (RocksDBException e) {
            close();
            throw new StateBackendException("Cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
        }
    }

    <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    ColumnFamilyHandle createColumnFamily(String name) {
        try {
            ColumnFamilyHandle handle = db.createColumnFamily(
                    new ColumnFamilyDescriptor(("state:" + name).getBytes(StandardCharsets.UTF_8), columnOptions));
            columnFamilies.add(handle);
            return handle;
        } catch (RocksDBException e) {
            throw new StateBackendException("Cannot create the column family of state '" + name + "': " + e, e);
        }
    }

    List<ColumnFamilyHandle> columnFamilies() {
        return columnFamilies;
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

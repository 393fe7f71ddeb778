package dev.cairn.benchmarks.raw;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The physical limit of a RocksDB state backend: plain RocksDB {@code get} / {@code put} of the same keys and
 * values, in the same random order as {@code ValueStateBenchmark}, with the options both backends use by default
 * under 256 MB of managed memory: one LRU cache of {@code 256 MB × 2.5/3} with a 10% high-priority pool, a write
 * buffer manager of {@code 256 MB × 1/3} charged to it, index and filter blocks in the cache, no fsync, no WAL,
 * one column family for the state.
 *
 * <p>The source is compiled twice: into Cairn's benchmark jar against rocksdbjni, and into the Flink benchmark jar
 * against FRocksDB (the RocksDB fork Flink ships). The two results side by side show how much of a difference
 * between the backends comes from the RocksDB build rather than from the backend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawRocksDBBenchmark {
    static {
        RocksDB.loadLibrary();
    }

    private static final long MANAGED_MEMORY = 256L << 20;
    private static final int ACCESS_ORDER_LENGTH = 1 << 20;
    private static final int KEY_GROUPS = 128;

    @Param({"100000", "1000000"})
    public int keys;

    private final List<AutoCloseable> handles = new ArrayList<>();
    private Path directory;
    private WriteOptions writeOptions;
    private ReadOptions readOptions;
    private RocksDB db;
    private ColumnFamilyHandle column;
    private byte[][] keyBytes;
    private int[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        directory = Files.createTempDirectory("raw-rocksdb-bench");
        LRUCache cache = register(new LRUCache(MANAGED_MEMORY * 5 / 6, -1, false, 0.1));
        WriteBufferManager writeBuffers = register(new WriteBufferManager(MANAGED_MEMORY / 3, cache));
        DBOptions dbOptions = register(new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setUseFsync(false)
                .setMaxOpenFiles(-1)
                .setInfoLogLevel(InfoLogLevel.HEADER_LEVEL)
                .setWriteBufferManager(writeBuffers));
        ColumnFamilyOptions columnOptions = register(new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setCacheIndexAndFilterBlocks(true)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true)
                        .setPinL0FilterAndIndexBlocksInCache(true)));
        List<ColumnFamilyHandle> columns = new ArrayList<>();
        db = RocksDB.open(
                dbOptions,
                directory.toString(),
                List.of(
                        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                        new ColumnFamilyDescriptor("value".getBytes(), columnOptions)),
                columns);
        column = columns.get(1);
        writeOptions = register(new WriteOptions().setDisableWAL(true));
        readOptions = register(new ReadOptions());
        keyBytes = new byte[keys][];
        for (int key = 0; key < keys; key++) {
            keyBytes[key] = stateKey(key);
            db.put(column, writeOptions, keyBytes[key], valueBytes(key));
        }
        Random random = new Random(7);
        accessOrder = new int[ACCESS_ORDER_LENGTH];
        for (int i = 0; i < accessOrder.length; i++) {
            accessOrder[i] = random.nextInt(keys);
        }
    }

    private <T extends AutoCloseable> T register(T handle) {
        handles.add(0, handle);
        return handle;
    }

    /** A state backend's key: 2-byte key group, 8-byte big-endian key, a 1-byte empty namespace. */
    private static byte[] stateKey(long key) {
        byte[] bytes = new byte[11];
        int keyGroup = (int) (key % KEY_GROUPS);
        bytes[0] = (byte) (keyGroup >>> 8);
        bytes[1] = (byte) keyGroup;
        for (int i = 9; i >= 2; i--) {
            bytes[i] = (byte) key;
            key >>>= 8;
        }
        return bytes;
    }

    private static byte[] valueBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        column.close();
        db.close();
        for (AutoCloseable handle : handles) {
            handle.close();
        }
        try (var walk = Files.walk(directory)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private byte[] nextKey() {
        return keyBytes[accessOrder[next++ & (ACCESS_ORDER_LENGTH - 1)]];
    }

    @Benchmark
    public byte[] rawGet() throws RocksDBException {
        return db.get(column, readOptions, nextKey());
    }

    @Benchmark
    public void rawPut() throws RocksDBException {
        byte[] key = nextKey();
        db.put(column, writeOptions, key, valueBytes(key[9]));
    }

    // The JNI paths a backend can take for the same get / put (issue 22, item 2): the offset variants with reused
    // arrays (what Cairn's RocksDB states call), and direct ByteBuffers (no copy of the key into native memory).

    private final byte[] readBuffer = new byte[64];
    private final byte[] writeBuffer = new byte[8];
    private final ByteBuffer directKey = ByteBuffer.allocateDirect(64);
    private final ByteBuffer directValue = ByteBuffer.allocateDirect(64);

    @Benchmark
    public int rawGetOffset() throws RocksDBException {
        byte[] key = nextKey();
        return db.get(column, readOptions, key, 0, key.length, readBuffer, 0, readBuffer.length);
    }

    @Benchmark
    public long rawGetDirect() throws RocksDBException {
        byte[] key = nextKey();
        directKey.clear();
        directKey.put(key).flip();
        directValue.clear();
        int size = db.get(column, readOptions, directKey, directValue);
        return size < 0 ? size : directValue.getLong(0);
    }

    @Benchmark
    public void rawPutOffset() throws RocksDBException {
        byte[] key = nextKey();
        writeBuffer[7] = key[9];
        db.put(column, writeOptions, key, 0, key.length, writeBuffer, 0, writeBuffer.length);
    }

    @Benchmark
    public void rawPutDirect() throws RocksDBException {
        byte[] key = nextKey();
        directKey.clear();
        directKey.put(key).flip();
        directValue.clear();
        directValue.putLong(key[9]).flip();
        db.put(column, writeOptions, directKey, directValue);
    }
}

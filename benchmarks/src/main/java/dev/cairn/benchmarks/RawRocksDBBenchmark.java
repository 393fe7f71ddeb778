package dev.cairn.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The physical limit of a RocksDB backend: rocksdbjni {@code get} / {@code put} of 8-byte keys and values, the same
 * random key order as {@code ValueStateBenchmark}, a 256 MB block cache (Cairn's default budget) and writes without
 * WAL, as the backend does. {@code ValueStateBenchmark} with {@code rocksdb} divided by this is the backend's
 * overhead (serialization, key layout, JNI calls for the key group prefix).
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

    @Param({"100000", "1000000"})
    public int keys;

    private Path directory;
    private LRUCache cache;
    private Options options;
    private WriteOptions writeOptions;
    private RocksDB db;
    private byte[][] keyBytes;
    private Long[] accessOrder;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        directory = Files.createTempDirectory("raw-rocksdb-bench");
        cache = new LRUCache(256L << 20);
        options = new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        writeOptions = new WriteOptions().setDisableWAL(true);
        db = RocksDB.open(options, directory.toString());
        keyBytes = new byte[keys][];
        for (int key = 0; key < keys; key++) {
            keyBytes[key] = longBytes(key);
            db.put(writeOptions, keyBytes[key], keyBytes[key]);
        }
        accessOrder = BenchmarkSupport.randomAccessOrder(keys, 7);
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>>= 8;
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
        writeOptions.close();
        options.close();
        cache.close();
        BenchmarkSupport.deleteRecursively(directory);
    }

    private byte[] nextKey() {
        return keyBytes[accessOrder[next++ & (accessOrder.length - 1)].intValue()];
    }

    @Benchmark
    public byte[] rawGet() throws RocksDBException {
        return db.get(nextKey());
    }

    @Benchmark
    public void rawPut() throws RocksDBException {
        byte[] key = nextKey();
        db.put(writeOptions, key, key);
    }
}

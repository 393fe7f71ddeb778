package dev.cairn.state.rocksdb;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import dev.cairn.state.MemorySize;
import java.util.ArrayList;
import java.util.List;

/** Configuration keys of the RocksDB backend (Flink's names and defaults). */
public final class RocksDBOptions {
    private RocksDBOptions() {}

    /** Where timers live. */
    public enum TimerServiceFactory {
        /** In RocksDB, in their own column family, with a small in-memory cache of each key group's head. */
        ROCKSDB,
        /** On the heap, snapshotted with the RocksDB state. */
        HEAP
    }

    /** Compaction styles (Flink's names). */
    public enum CompactionStyleOption {
        /** Leveled compaction (RocksDB's default). */
        LEVEL,
        /** Universal compaction. */
        UNIVERSAL,
        /** FIFO compaction: the oldest files are dropped. */
        FIFO
    }

    /** {@code state.backend.rocksdb.localdir}: Working directories of RocksDB instances; several separated by ',' are used round-robin. */
    public static final ConfigOption<String> LOCAL_DIRECTORIES = ConfigOptions.key("state.backend.rocksdb.localdir")
            .stringType()
            .noDefaultValue()
            .withDescription("Working directories of RocksDB instances; several separated by ',' are used round-robin."
                    + " Default: the system temp directory.");

    /** {@code state.backend.rocksdb.timer-service.factory}: Where timers are stored: ROCKSDB or HEAP. */
    public static final ConfigOption<TimerServiceFactory> TIMER_SERVICE_FACTORY = ConfigOptions.key(
                    "state.backend.rocksdb.timer-service.factory")
            .enumType(TimerServiceFactory.class)
            .defaultValue(TimerServiceFactory.ROCKSDB)
            .withDescription("Where timers are stored: ROCKSDB or HEAP.");

    /** {@code state.backend.rocksdb.predefined-options}: DEFAULT, SPINNING_DISK_OPTIMIZED, SPINNING_DISK_OPTIMIZED_HIGH_MEM or FLASH_SSD_OPTIMIZED. */
    public static final ConfigOption<PredefinedOptions> PREDEFINED_OPTIONS = ConfigOptions.key(
                    "state.backend.rocksdb.predefined-options")
            .enumType(PredefinedOptions.class)
            .defaultValue(PredefinedOptions.DEFAULT)
            .withDescription(
                    "DEFAULT, SPINNING_DISK_OPTIMIZED, SPINNING_DISK_OPTIMIZED_HIGH_MEM or FLASH_SSD_OPTIMIZED.");

    /** {@code state.backend.rocksdb.options-factory}: Class name of a RocksDBOptionsFactory (ConfigurableRocksDBOptionsFactory gets the configuration). */
    public static final ConfigOption<String> OPTIONS_FACTORY = ConfigOptions.key(
                    "state.backend.rocksdb.options-factory")
            .stringType()
            .noDefaultValue()
            .withDescription("Class name of a RocksDBOptionsFactory (ConfigurableRocksDBOptionsFactory gets the"
                    + " configuration).");

    /** {@code state.backend.rocksdb.memory.managed}: Bound RocksDB's memory: one shared block cache and write buffer manager per backend object (a 'slot'); 256mb unless fixed-per-slot or fixed-per-tm is set. */
    public static final ConfigOption<Boolean> USE_MANAGED_MEMORY = ConfigOptions.key(
                    "state.backend.rocksdb.memory.managed")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "Bound RocksDB's memory: one shared block cache and write buffer manager per backend object"
                            + " (a 'slot'); 256mb unless fixed-per-slot or fixed-per-tm is set.");

    /** {@code state.backend.rocksdb.memory.fixed-per-slot}: Fixed memory budget shared by the RocksDB instances of one backend object. */
    public static final ConfigOption<MemorySize> FIX_PER_SLOT_MEMORY_SIZE = ConfigOptions.key(
                    "state.backend.rocksdb.memory.fixed-per-slot")
            .memoryType()
            .noDefaultValue()
            .withDescription("Fixed memory budget shared by the RocksDB instances of one backend object.");

    /** {@code state.backend.rocksdb.memory.fixed-per-tm}: Fixed memory budget shared by all RocksDB instances of the process. */
    public static final ConfigOption<MemorySize> FIX_PER_TM_MEMORY_SIZE = ConfigOptions.key(
                    "state.backend.rocksdb.memory.fixed-per-tm")
            .memoryType()
            .noDefaultValue()
            .withDescription("Fixed memory budget shared by all RocksDB instances of the process.");

    /** {@code state.backend.rocksdb.memory.write-buffer-ratio}: Share of the memory budget for write buffers, in (0, 1]. */
    public static final ConfigOption<Double> WRITE_BUFFER_RATIO = ConfigOptions.key(
                    "state.backend.rocksdb.memory.write-buffer-ratio")
            .doubleType()
            .defaultValue(0.5)
            .withDescription("Share of the memory budget for write buffers, in (0, 1].");

    /** {@code state.backend.rocksdb.memory.high-prio-pool-ratio}: Share of the block cache reserved for index and filter blocks, in (0, 1]. */
    public static final ConfigOption<Double> HIGH_PRIORITY_POOL_RATIO = ConfigOptions.key(
                    "state.backend.rocksdb.memory.high-prio-pool-ratio")
            .doubleType()
            .defaultValue(0.1)
            .withDescription("Share of the block cache reserved for index and filter blocks, in (0, 1].");

    /** {@code state.backend.rocksdb.thread.num}: Maximum background flush and compaction jobs. */
    public static final ConfigOption<Integer> MAX_BACKGROUND_THREADS = ConfigOptions.key(
                    "state.backend.rocksdb.thread.num")
            .intType()
            .defaultValue(2)
            .withDescription("Maximum background flush and compaction jobs.");

    /** {@code state.backend.rocksdb.files.open}: Maximum open files (-1: unlimited). */
    public static final ConfigOption<Integer> MAX_OPEN_FILES = ConfigOptions.key("state.backend.rocksdb.files.open")
            .intType()
            .defaultValue(-1)
            .withDescription("Maximum open files (-1: unlimited).");

    /** {@code state.backend.rocksdb.compaction.style}: LEVEL, UNIVERSAL or FIFO. */
    public static final ConfigOption<CompactionStyleOption> COMPACTION_STYLE = ConfigOptions.key(
                    "state.backend.rocksdb.compaction.style")
            .enumType(CompactionStyleOption.class)
            .defaultValue(CompactionStyleOption.LEVEL)
            .withDescription("LEVEL, UNIVERSAL or FIFO.");

    /** {@code state.backend.rocksdb.compaction.level.use-dynamic-size}: Dynamic level sizes for level compaction. */
    public static final ConfigOption<Boolean> USE_DYNAMIC_LEVEL_SIZE = ConfigOptions.key(
                    "state.backend.rocksdb.compaction.level.use-dynamic-size")
            .booleanType()
            .defaultValue(false)
            .withDescription("Dynamic level sizes for level compaction.");

    /** {@code state.backend.rocksdb.compaction.level.target-file-size-base}: Target file size of level 1. */
    public static final ConfigOption<MemorySize> TARGET_FILE_SIZE_BASE = ConfigOptions.key(
                    "state.backend.rocksdb.compaction.level.target-file-size-base")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Target file size of level 1.");

    /** {@code state.backend.rocksdb.compaction.level.max-size-level-base}: Maximum total size of level 1. */
    public static final ConfigOption<MemorySize> MAX_SIZE_LEVEL_BASE = ConfigOptions.key(
                    "state.backend.rocksdb.compaction.level.max-size-level-base")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(256))
            .withDescription("Maximum total size of level 1.");

    /**
     * {@code state.backend.rocksdb.writebuffer.size}: Memtable size per column family (managed memory bounds the
     * total). Unless this key is set or an options factory changes the write buffer size, timer column families use at
     * most 4 MB: their memtables fill with fired timers' tombstones, and a smaller one keeps registration fast.
     */
    public static final ConfigOption<MemorySize> WRITE_BUFFER_SIZE = ConfigOptions.key(
                    "state.backend.rocksdb.writebuffer.size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("Memtable size per column family (managed memory bounds the total). Unless this key is"
                    + " set or an options factory changes it, timer column families use at most 4 mb.");

    /** {@code state.backend.rocksdb.writebuffer.count}: Maximum memtables per column family. */
    public static final ConfigOption<Integer> MAX_WRITE_BUFFER_NUMBER = ConfigOptions.key(
                    "state.backend.rocksdb.writebuffer.count")
            .intType()
            .defaultValue(2)
            .withDescription("Maximum memtables per column family.");

    /** {@code state.backend.rocksdb.writebuffer.number-to-merge}: Memtables merged before a flush. */
    public static final ConfigOption<Integer> MIN_WRITE_BUFFER_NUMBER_TO_MERGE = ConfigOptions.key(
                    "state.backend.rocksdb.writebuffer.number-to-merge")
            .intType()
            .defaultValue(1)
            .withDescription("Memtables merged before a flush.");

    /** {@code state.backend.rocksdb.block.blocksize}: Data block size. */
    public static final ConfigOption<MemorySize> BLOCK_SIZE = ConfigOptions.key("state.backend.rocksdb.block.blocksize")
            .memoryType()
            .defaultValue(MemorySize.ofKibiBytes(4))
            .withDescription("Data block size.");

    /** {@code state.backend.rocksdb.block.cache-size}: Block cache size per instance when memory is not managed. */
    public static final ConfigOption<MemorySize> BLOCK_CACHE_SIZE = ConfigOptions.key(
                    "state.backend.rocksdb.block.cache-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(8))
            .withDescription("Block cache size per instance when memory is not managed.");

    /** {@code state.backend.rocksdb.use-bloom-filter}: Bloom filters on data blocks. */
    public static final ConfigOption<Boolean> USE_BLOOM_FILTER = ConfigOptions.key(
                    "state.backend.rocksdb.use-bloom-filter")
            .booleanType()
            .defaultValue(false)
            .withDescription("Bloom filters on data blocks.");

    /** {@code state.backend.rocksdb.bloom-filter.bits-per-key}: Bits per key of the bloom filter. */
    public static final ConfigOption<Double> BLOOM_FILTER_BITS_PER_KEY = ConfigOptions.key(
                    "state.backend.rocksdb.bloom-filter.bits-per-key")
            .doubleType()
            .defaultValue(10.0)
            .withDescription("Bits per key of the bloom filter.");

    /** {@code state.backend.rocksdb.bloom-filter.block-based-mode}: Block-based instead of full bloom filters. */
    public static final ConfigOption<Boolean> BLOOM_FILTER_BLOCK_BASED_MODE = ConfigOptions.key(
                    "state.backend.rocksdb.bloom-filter.block-based-mode")
            .booleanType()
            .defaultValue(false)
            .withDescription("Block-based instead of full bloom filters.");

    /** {@code state.backend.rocksdb.checkpoint.transfer.thread.num}: Threads per backend instance that upload the files of a native (full or incremental) checkpoint and download them on restore. */
    public static final ConfigOption<Integer> CHECKPOINT_TRANSFER_THREAD_NUM = ConfigOptions.key(
                    "state.backend.rocksdb.checkpoint.transfer.thread.num")
            .intType()
            .defaultValue(4)
            .withDescription("Threads per backend instance that upload the files of a native (full or incremental)"
                    + " checkpoint and download them on restore.");

    /** {@code state.backend.rocksdb.restore.verify-checksums}: Cairn only. */
    public static final ConfigOption<Boolean> RESTORE_VERIFY_CHECKSUMS = ConfigOptions.key(
                    "state.backend.rocksdb.restore.verify-checksums")
            .booleanType()
            .defaultValue(true)
            .withDescription("Cairn only. Whether a native checkpoint's files are verified against RocksDB's own block"
                    + " checksums when a backend restores from them (every block of every file is read once)."
                    + " Without it a damaged block surfaces only when it is read, possibly long after the restore;"
                    + " switch it off only when restore time matters more than detecting damaged checkpoints.");

    /** {@code state.backend.rocksdb.native-library.dir}: Cairn only. */
    public static final ConfigOption<String> NATIVE_LIBRARY_DIRECTORY = ConfigOptions.key(
                    "state.backend.rocksdb.native-library.dir")
            .stringType()
            .noDefaultValue()
            .withDescription("Cairn only. The directory RocksDB's native library is extracted to, once per"
                    + " rocksdbjni version, and loaded from by every later process; default"
                    + " '<java.io.tmpdir>/cairn-rocksdbjni-<user>'. (rocksdbjni alone extracts a new copy into"
                    + " java.io.tmpdir per process, which a killed process never deletes.)");

    /** {@code state.backend.rocksdb.cache.max-entries}: Cairn only (Flink has no object cache over RocksDB). */
    public static final ConfigOption<Integer> CACHE_MAX_ENTRIES = ConfigOptions.key(
                    "state.backend.rocksdb.cache.max-entries")
            .intType()
            .defaultValue(0)
            .withDescription("Cairn only. The number of recently used ValueState and MapState entries each keyed"
                    + " backend keeps deserialized in a cache in front of RocksDB; 0 switches the cache off. Value"
                    + " updates are written back: in write batches when evicted and before every snapshot, so"
                    + " checkpoints, savepoints and key iteration see the same state as without the cache. Map"
                    + " writes go through to RocksDB. States with TTL are not cached.");

    /** {@code state.backend.rocksdb.cache.memory-ratio}: Cairn only. */
    public static final ConfigOption<Double> CACHE_MEMORY_RATIO = ConfigOptions.key(
                    "state.backend.rocksdb.cache.memory-ratio")
            .doubleType()
            .defaultValue(0.25)
            .withDescription("Cairn only. With managed memory and the cache on, the share of the memory budget given"
                    + " to the caches of the backends sharing it, in (0, 1): RocksDB's block cache and write buffers"
                    + " get the rest, and the caches evict when their estimated size (serialized key and value"
                    + " plus a fixed overhead per entry) exceeds it, whatever their entry counts.");

    /** The RocksDB properties that {@code state.backend.rocksdb.metrics.<name>: true} switches on. */
    public static final List<String> NATIVE_METRICS = List.of(
            "num-immutable-mem-table",
            "mem-table-flush-pending",
            "compaction-pending",
            "background-errors",
            "cur-size-active-mem-table",
            "cur-size-all-mem-tables",
            "size-all-mem-tables",
            "num-entries-active-mem-table",
            "num-entries-imm-mem-tables",
            "num-deletes-active-mem-table",
            "num-deletes-imm-mem-tables",
            "estimate-num-keys",
            "estimate-table-readers-mem",
            "num-snapshots",
            "num-live-versions",
            "estimate-live-data-size",
            "total-sst-files-size",
            "live-sst-files-size",
            "estimate-pending-compaction-bytes",
            "num-running-compactions",
            "num-running-flushes",
            "actual-delayed-write-rate",
            "is-write-stopped",
            "block-cache-capacity",
            "block-cache-usage",
            "block-cache-pinned-usage");

    /**
     * {@return the option {@code state.backend.rocksdb.metrics.<property>}}
     *
     * @param property the RocksDB property name, e.g. {@code estimate-num-keys}
     */
    public static ConfigOption<Boolean> metric(String property) {
        return ConfigOptions.key("state.backend.rocksdb.metrics." + property)
                .booleanType()
                .defaultValue(false)
                .withDescription("Expose RocksDB property 'rocksdb." + property + "' as a native metric.");
    }

    /** {@return every option defined here, including one per native metric} */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(
                LOCAL_DIRECTORIES,
                TIMER_SERVICE_FACTORY,
                PREDEFINED_OPTIONS,
                OPTIONS_FACTORY,
                USE_MANAGED_MEMORY,
                FIX_PER_SLOT_MEMORY_SIZE,
                FIX_PER_TM_MEMORY_SIZE,
                WRITE_BUFFER_RATIO,
                HIGH_PRIORITY_POOL_RATIO,
                MAX_BACKGROUND_THREADS,
                MAX_OPEN_FILES,
                COMPACTION_STYLE,
                USE_DYNAMIC_LEVEL_SIZE,
                TARGET_FILE_SIZE_BASE,
                MAX_SIZE_LEVEL_BASE,
                WRITE_BUFFER_SIZE,
                MAX_WRITE_BUFFER_NUMBER,
                MIN_WRITE_BUFFER_NUMBER_TO_MERGE,
                BLOCK_SIZE,
                BLOCK_CACHE_SIZE,
                USE_BLOOM_FILTER,
                BLOOM_FILTER_BITS_PER_KEY,
                BLOOM_FILTER_BLOCK_BASED_MODE,
                CHECKPOINT_TRANSFER_THREAD_NUM,
                RESTORE_VERIFY_CHECKSUMS,
                NATIVE_LIBRARY_DIRECTORY,
                CACHE_MAX_ENTRIES,
                CACHE_MEMORY_RATIO));
        for (String property : NATIVE_METRICS) {
            all.add(metric(property));
        }
        return all;
    }
}

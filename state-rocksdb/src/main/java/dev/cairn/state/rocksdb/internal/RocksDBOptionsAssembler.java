package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.MemorySize;
import dev.cairn.state.rocksdb.RocksDBOptions;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.TableFormatConfig;

/**
 * Builds DB and column family options in Flink's order of precedence: predefined profile, then explicitly set
 * configuration keys, then the options factory, then managed memory (shared block cache and write buffer
 * manager), which overrides cache and write buffer settings. The list merge operator is always set last: the
 * list layout depends on it.
 */
final class RocksDBOptionsAssembler {
    private RocksDBOptionsAssembler() {}

    static DBOptions dbOptions(RocksDBSettings settings, List<AutoCloseable> handles) {
        DBOptions options = settings.predefinedOptions().createDBOptions(handles);
        var config = settings.configurableOptions();
        config.getOptional(RocksDBOptions.MAX_BACKGROUND_THREADS).ifPresent(options::setMaxBackgroundJobs);
        config.getOptional(RocksDBOptions.MAX_OPEN_FILES).ifPresent(options::setMaxOpenFiles);
        if (settings.optionsFactory() != null) {
            options = settings.optionsFactory().createDBOptions(options, handles);
        }
        options.setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        if (settings.memoryBudget() != null) {
            options.setWriteBufferManager(settings.memoryBudget().writeBufferManager());
        }
        return options;
    }

    /**
     * The write buffer of a timer column family unless one is configured: timers are small, short-lived keys whose
     * memtable fills with tombstones of fired timers, and every registration walks that skip list: with a 64 MB
     * memtable registering and firing took ~1.4× as long as with a 4 MB one (Flink's queue likewise; figures in
     * benchmarks/README.md, issue 22 item 3).
     */
    static final long TIMER_WRITE_BUFFER_BYTES = 4L << 20;

    /**
     * Column family options, and the write buffer size for timer column families: the configured one if
     * {@link RocksDBOptions#WRITE_BUFFER_SIZE} is set or the options factory changed it, else at most
     * {@link #TIMER_WRITE_BUFFER_BYTES}.
     */
    record ColumnOptions(ColumnFamilyOptions options, long timerWriteBufferSize) {}

    static ColumnOptions columnOptions(RocksDBSettings settings, List<AutoCloseable> handles, Cache sharedCache) {
        ColumnFamilyOptions options = settings.predefinedOptions().createColumnOptions(handles);
        var config = settings.configurableOptions();
        config.getOptional(RocksDBOptions.COMPACTION_STYLE)
                .ifPresent(style -> options.setCompactionStyle(CompactionStyle.valueOf(style.name())));
        config.getOptional(RocksDBOptions.USE_DYNAMIC_LEVEL_SIZE)
                .ifPresent(options::setLevelCompactionDynamicLevelBytes);
        config.getOptional(RocksDBOptions.TARGET_FILE_SIZE_BASE)
                .map(MemorySize::getBytes)
                .ifPresent(options::setTargetFileSizeBase);
        config.getOptional(RocksDBOptions.MAX_SIZE_LEVEL_BASE)
                .map(MemorySize::getBytes)
                .ifPresent(options::setMaxBytesForLevelBase);
        config.getOptional(RocksDBOptions.WRITE_BUFFER_SIZE)
                .map(MemorySize::getBytes)
                .ifPresent(options::setWriteBufferSize);
        config.getOptional(RocksDBOptions.MAX_WRITE_BUFFER_NUMBER).ifPresent(options::setMaxWriteBufferNumber);
        config.getOptional(RocksDBOptions.MIN_WRITE_BUFFER_NUMBER_TO_MERGE)
                .ifPresent(options::setMinWriteBufferNumberToMerge);
        BlockBasedTableConfig table = tableConfig(options);
        config.getOptional(RocksDBOptions.BLOCK_SIZE).map(MemorySize::getBytes).ifPresent(table::setBlockSize);
        if (config.get(RocksDBOptions.USE_BLOOM_FILTER)) {
            BloomFilter filter = new BloomFilter(
                    config.get(RocksDBOptions.BLOOM_FILTER_BITS_PER_KEY),
                    config.get(RocksDBOptions.BLOOM_FILTER_BLOCK_BASED_MODE));
            handles.add(filter);
            table.setFilterPolicy(filter);
        }
        options.setTableFormatConfig(table);
        long writeBufferBeforeFactory = options.writeBufferSize();
        ColumnFamilyOptions result = settings.optionsFactory() != null
                ? settings.optionsFactory().createColumnOptions(options, handles)
                : options;
        boolean writeBufferChosen =
                config.getOptional(RocksDBOptions.WRITE_BUFFER_SIZE).isPresent()
                        || result.writeBufferSize() != writeBufferBeforeFactory;
        long timerWriteBuffer = writeBufferChosen
                ? result.writeBufferSize()
                : Math.min(result.writeBufferSize(), TIMER_WRITE_BUFFER_BYTES);
        BlockBasedTableConfig finalTable = tableConfig(result);
        if (sharedCache != null) {
            finalTable
                    .setBlockCache(sharedCache)
                    .setCacheIndexAndFilterBlocks(true)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true)
                    .setPinL0FilterAndIndexBlocksInCache(true);
        } else if (config.getOptional(RocksDBOptions.BLOCK_CACHE_SIZE).isPresent()) {
            LRUCache cache =
                    new LRUCache(config.get(RocksDBOptions.BLOCK_CACHE_SIZE).getBytes());
            handles.add(cache);
            finalTable.setBlockCache(cache);
        }
        result.setTableFormatConfig(finalTable);
        StringAppendOperator merge = new StringAppendOperator("");
        handles.add(merge);
        result.setMergeOperator(merge);
        return new ColumnOptions(result, timerWriteBuffer);
    }

    private static BlockBasedTableConfig tableConfig(ColumnFamilyOptions options) {
        TableFormatConfig existing = options.tableFormatConfig();
        return existing instanceof BlockBasedTableConfig block ? block : new BlockBasedTableConfig();
    }
}

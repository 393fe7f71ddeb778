package dev.cairn.state.rocksdb;

import java.util.Collection;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;

/**
 * Option profiles for typical hardware, as in Flink ({@code state.backend.rocksdb.predefined-options}). Applied
 * first; configurable options, an options factory and managed memory are applied on top.
 */
public enum PredefinedOptions {
    /** RocksDB's defaults, with fsync off (checkpoints are the durability) and unlimited open files. */
    DEFAULT {
        @Override
        public DBOptions createDBOptions(Collection<AutoCloseable> handlesToClose) {
            return new DBOptions().setUseFsync(false).setMaxOpenFiles(-1).setInfoLogLevel(InfoLogLevel.HEADER_LEVEL);
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(Collection<AutoCloseable> handlesToClose) {
            return new ColumnFamilyOptions();
        }
    },

    /** For spinning disks: level compaction with dynamic level sizes, more background threads. */
    SPINNING_DISK_OPTIMIZED {
        @Override
        public DBOptions createDBOptions(Collection<AutoCloseable> handlesToClose) {
            return DEFAULT.createDBOptions(handlesToClose).setMaxBackgroundJobs(4);
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(Collection<AutoCloseable> handlesToClose) {
            return new ColumnFamilyOptions()
                    .setCompactionStyle(CompactionStyle.LEVEL)
                    .setLevelCompactionDynamicLevelBytes(true);
        }
    },

    /**
     * For spinning disks with plenty of memory: larger block cache, blocks, files and write buffers, and bloom
     * filters.
     */
    SPINNING_DISK_OPTIMIZED_HIGH_MEM {
        @Override
        public DBOptions createDBOptions(Collection<AutoCloseable> handlesToClose) {
            return SPINNING_DISK_OPTIMIZED.createDBOptions(handlesToClose);
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(Collection<AutoCloseable> handlesToClose) {
            BloomFilter bloomFilter = new BloomFilter(10, false);
            handlesToClose.add(bloomFilter);
            return new ColumnFamilyOptions()
                    .setCompactionStyle(CompactionStyle.LEVEL)
                    .setLevelCompactionDynamicLevelBytes(true)
                    .setTargetFileSizeBase(256L << 20)
                    .setMaxBytesForLevelBase(1L << 30)
                    .setWriteBufferSize(64L << 20)
                    .setMinWriteBufferNumberToMerge(3)
                    .setMaxWriteBufferNumber(4)
                    .setTableFormatConfig(new BlockBasedTableConfig()
                            .setBlockCacheSize(256L << 20)
                            .setBlockSize(128L << 10)
                            .setFilterPolicy(bloomFilter));
        }
    },

    /** For flash SSDs: more background threads. */
    FLASH_SSD_OPTIMIZED {
        @Override
        public DBOptions createDBOptions(Collection<AutoCloseable> handlesToClose) {
            return DEFAULT.createDBOptions(handlesToClose).setMaxBackgroundJobs(4);
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(Collection<AutoCloseable> handlesToClose) {
            return new ColumnFamilyOptions();
        }
    };

    /**
     * {@return the profile's DB options; native helpers it creates are added to {@code handlesToClose}}
     *
     * @param handlesToClose collects native objects to close with the backend
     */
    public abstract DBOptions createDBOptions(Collection<AutoCloseable> handlesToClose);

    /**
     * {@return the profile's column family options}
     *
     * @param handlesToClose collects native objects to close with the backend
     */
    public abstract ColumnFamilyOptions createColumnOptions(Collection<AutoCloseable> handlesToClose);
}

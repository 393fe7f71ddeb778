package dev.cairn.state.rocksdb;

import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * A memory budget shared by several RocksDB instances (a "slot"): one LRU block cache, with a high-priority pool
 * for index and filter blocks, and one write buffer manager that charges memtables to that cache. Of the total,
 * {@code 2/3 × writeBufferRatio} go to write buffers and the cache holds {@code (3 − writeBufferRatio)/3}, the
 * split Flink uses (write buffers may temporarily exceed their share by half).
 *
 * <p>The native objects are created when the first instance acquires the budget and released when the last
 * releases it; {@link #close()} is only needed if the application wants to free them early.
 */
public final class RocksDBMemoryBudget implements AutoCloseable {
    static {
        dev.cairn.state.rocksdb.internal.RocksDBNativeLibrary.ensureLoaded();
    }

    private final long totalBytes;
    private final double writeBufferRatio;
    private final double highPriorityPoolRatio;
    private Cache cache;
    private WriteBufferManager writeBufferManager;
    private int users;

    /**
     * @throws IllegalConfigurationException when a ratio is outside (0, 1] or the size is zero
     * @param total the memory of all backends sharing the budget
     * @param writeBufferRatio the share for write buffers, in (0, 1]
     * @param highPriorityPoolRatio the share of the block cache for index and filter blocks, in (0, 1]
     */
    public RocksDBMemoryBudget(MemorySize total, double writeBufferRatio, double highPriorityPoolRatio) {
        if (total.getBytes() <= 0) {
            throw IllegalConfigurationException.invalidValue(
                    RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE.key(), total, "a positive memory size");
        }
        checkRatio(RocksDBOptions.WRITE_BUFFER_RATIO.key(), writeBufferRatio);
        checkRatio(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO.key(), highPriorityPoolRatio);
        this.totalBytes = total.getBytes();
        this.writeBufferRatio = writeBufferRatio;
        this.highPriorityPoolRatio = highPriorityPoolRatio;
    }

    static void checkRatio(String key, double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw IllegalConfigurationException.invalidValue(key, ratio, "a ratio in (0, 1]");
        }
    }

    /** {@return the memory of all backends sharing the budget, in bytes} */
    public long getTotalBytes() {
        return totalBytes;
    }

    /** {@return the block cache capacity: {@code total × (3 − writeBufferRatio) / 3}} */
    public long cacheCapacity() {
        return (long) (totalBytes * (3 - writeBufferRatio) / 3);
    }

    /** {@return the write buffer manager's limit: {@code total × 2/3 × writeBufferRatio}} */
    public long writeBufferCapacity() {
        return (long) (2 * totalBytes * writeBufferRatio / 3);
    }

    /**
     * Starts using the budget; the caller must {@link #release} it.
     *
     * @return the shared block cache
     */
    public synchronized Cache acquireCache() {
        if (users++ == 0) {
            cache = new LRUCache(cacheCapacity(), -1, false, highPriorityPoolRatio);
            writeBufferManager = new WriteBufferManager(writeBufferCapacity(), cache);
        }
        return cache;
    }

    /** {@return the write buffer manager; valid between {@link #acquireCache} and {@link #release}} */
    public synchronized WriteBufferManager writeBufferManager() {
        if (users == 0) {
            throw new IllegalStateException("Acquire the memory budget first");
        }
        return writeBufferManager;
    }

    /** Stops using the budget; the last user frees the native objects. */
    public synchronized void release() {
        if (users > 0 && --users == 0) {
            freeNative();
        }
    }

    /** {@return the bytes the shared cache holds now (data, index, filter blocks and charged memtables)} */
    public synchronized long usage() {
        return cache == null ? 0 : cache.getUsage();
    }

    private void freeNative() {
        if (writeBufferManager != null) {
            writeBufferManager.close();
            writeBufferManager = null;
        }
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    @Override
    public synchronized void close() {
        users = 0;
        freeNative();
    }

    @Override
    public String toString() {
        return "RocksDBMemoryBudget{" + MemorySize.ofBytes(totalBytes) + ", write buffers " + writeBufferRatio
                + ", high priority " + highPriorityPoolRatio + "}";
    }
}

package dev.cairn.state.rocksdb;

import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * A memory budget shared by several RocksDB instances (a "slot"): one LRU block cache, with a high-priority pool
 * for index and filter blocks, and one write buffer manager that charges memtables to that cache. Of the total,
 * {@code 2/3 × writeBufferRatio} go to write buffers and the cache holds {@code (3 − writeBufferRatio)/3}, the
 * split Flink uses (write buffers may temporarily exceed their share by half).
 *
 * <p>With Cairn's object cache on ({@link RocksDBOptions#CACHE_MAX_ENTRIES}), a share of the total
 * ({@link RocksDBOptions#CACHE_MEMORY_RATIO}) is set aside for the object caches of the backends sharing the budget
 * and the split above applies to the rest; the caches charge their estimated size to {@link #chargeObjectCaches}.
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
    private final long objectCacheBytes;
    private final AtomicLong objectCacheCharged = new AtomicLong();
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
        this(total, writeBufferRatio, highPriorityPoolRatio, 0);
    }

    /**
     * A budget of which {@code objectCacheRatio} is set aside for Cairn's object caches.
     *
     * @throws IllegalConfigurationException when a ratio is outside its range or the size is zero
     * @param total the memory of all backends sharing the budget
     * @param writeBufferRatio the share of RocksDB's part for write buffers, in (0, 1]
     * @param highPriorityPoolRatio the share of the block cache for index and filter blocks, in (0, 1]
     * @param objectCacheRatio the share of the total for object caches, in [0, 1); 0 when they are off
     */
    public RocksDBMemoryBudget(
            MemorySize total, double writeBufferRatio, double highPriorityPoolRatio, double objectCacheRatio) {
        if (total.getBytes() <= 0) {
            throw IllegalConfigurationException.invalidValue(
                    RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE.key(), total, "a positive memory size");
        }
        checkRatio(RocksDBOptions.WRITE_BUFFER_RATIO.key(), writeBufferRatio);
        checkRatio(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO.key(), highPriorityPoolRatio);
        if (objectCacheRatio != 0) {
            checkObjectCacheRatio(objectCacheRatio);
        }
        this.totalBytes = total.getBytes();
        this.writeBufferRatio = writeBufferRatio;
        this.highPriorityPoolRatio = highPriorityPoolRatio;
        this.objectCacheBytes = (long) (totalBytes * objectCacheRatio);
    }

    /** The object caches' share ({@link RocksDBOptions#CACHE_MEMORY_RATIO}) must be in (0, 1). */
    static void checkObjectCacheRatio(double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw IllegalConfigurationException.invalidValue(
                    RocksDBOptions.CACHE_MEMORY_RATIO.key(), ratio, "a ratio in (0, 1)");
        }
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

    /** {@return the block cache capacity: {@code native × (3 − writeBufferRatio) / 3}, native = total − object caches} */
    public long cacheCapacity() {
        return (long) ((totalBytes - objectCacheBytes) * (3 - writeBufferRatio) / 3);
    }

    /** {@return the write buffer manager's limit: {@code native × 2/3 × writeBufferRatio}} */
    public long writeBufferCapacity() {
        return (long) (2 * (totalBytes - objectCacheBytes) * writeBufferRatio / 3);
    }

    /** {@return the bytes set aside for the object caches of the backends sharing this budget; 0 when none} */
    public long objectCacheCapacity() {
        return objectCacheBytes;
    }

    /**
     * Charges (or, negative, releases) estimated object-cache bytes; called by the backends' caches as they fill
     * and evict, from their task threads.
     *
     * @param bytes the change of one cache's estimated size
     * @return the estimated size of all object caches sharing this budget after the change
     */
    public long chargeObjectCaches(long bytes) {
        return objectCacheCharged.addAndGet(bytes);
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
                + ", high priority " + highPriorityPoolRatio
                + (objectCacheBytes > 0 ? ", object caches " + MemorySize.ofBytes(objectCacheBytes) : "") + "}";
    }
}

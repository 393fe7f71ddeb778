package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * Timers in their own column family with keys {@code [key group][timestamp, sign-flipped big-endian][varint
 * len][key][varint len][namespace]}: within a key group, RocksDB's bytewise order is timestamp order.
 *
 * <p>Each key group keeps its earliest timers (up to {@value #CACHE_SIZE}, as Flink does) in memory, and a heap
 * ({@link EarliestKeyGroups}) orders the key groups by their earliest timer. Polling fires from that cache and only deletes in RocksDB;
 * one iterator refills a key group's cache when it runs empty. Registering a timer inside the cached range
 * needs no RocksDB read (the cache knows whether it exists); a timer later than everything cached is looked up only
 * if a {@link TimerMembershipFilter counting Bloom filter} of the registered timers cannot rule it out — so {@code
 * add} still says exactly whether a timer is new and {@code size()} stays exact, where Flink's queue writes blindly.
 * Memory is at most {@value #CACHE_SIZE} timers per key group plus the filter (about 8 bytes per timer, at most 8 MB).
 *
 * <p>Puts and deletes are collected in a write batch (as Flink's queue does), written at {@value #BATCH_ENTRIES}
 * entries, before anything here reads the column family, and before a snapshot ({@link #writePending}, called by
 * the backend with its other pending writes): timers have their own column family, so no other state's read needs
 * them written.
 */
final class RocksDBTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    static final int CACHE_SIZE = 128;
    static final int BATCH_ENTRIES = 1024;
    private static final byte[] EMPTY = new byte[0];

    /**
     * The beginning of one key group's timers, in RocksDB key order: all of them when {@link #complete}, else
     * exactly those up to the last cached key (never empty then).
     */
    private static final class KeyGroupCache<K, N> {
        final TreeMap<byte[], Timer<K, N>> timers = new TreeMap<>(Arrays::compareUnsigned);
        boolean complete = true;

        boolean covers(byte[] key) {
            return complete || Arrays.compareUnsigned(key, timers.lastKey()) <= 0;
        }
    }

    private final RocksDBKeyedStateBackend<K> backend;
    private final RegisteredState<ColumnFamilyHandle> state;
    private final TypeSerializer<N> namespaceSerializer;
    private final DataOutputSerializer buffer = new DataOutputSerializer(64);
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);
    /** The key groups (as indexes into {@link #caches}) by their earliest timer. */
    private final EarliestKeyGroups heads;

    private final KeyGroupCache<K, N>[] caches;
    private final int firstKeyGroup;
    private boolean initialized;
    private int size;
    private TimerMembershipFilter filter;
    /** Puts and deletes not yet written to RocksDB. */
    private final WriteBatch pending = new WriteBatch();

    private int pendingEntries;

    @SuppressWarnings("unchecked")
    RocksDBTimerQueue(
            RocksDBKeyedStateBackend<K> backend,
            RegisteredState<ColumnFamilyHandle> state,
            TypeSerializer<N> namespaceSerializer) {
        this.backend = backend;
        this.state = state;
        this.namespaceSerializer = namespaceSerializer;
        this.firstKeyGroup = backend.getKeyGroupRange().getStartKeyGroup();
        this.caches = new KeyGroupCache[backend.getKeyGroupRange().getNumberOfKeyGroups()];
        this.heads = new EarliestKeyGroups(caches.length);
        for (int i = 0; i < caches.length; i++) {
            caches[i] = new KeyGroupCache<>();
        }
    }

    /** Counts the timers and fills every key group's cache in one pass over the column family. */
    private void initialize() {
        if (initialized) {
            return;
        }
        initialized = true;
        filter = TimerMembershipFilter.forTimers(estimatedTimers());
        try (RocksIterator iterator = db().newIterator(state.storage(), backend.readOptions())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                size++;
                byte[] key = iterator.key();
                filter.add(key);
                int keyGroup = Bytes.readKeyGroup(key);
                if (!backend.getKeyGroupRange().contains(keyGroup)) {
                    continue; // restores delete foreign key groups; never fire what is not ours
                }
                KeyGroupCache<K, N> cache = cache(keyGroup);
                if (cache.timers.size() < CACHE_SIZE) {
                    cache.timers.put(key, decode(key));
                } else {
                    cache.complete = false;
                }
            }
            RocksIterators.checkStatus(iterator, "timer queue '" + state.name() + "'");
        }
        growFilterIfNeeded();
        for (int keyGroup : backend.getKeyGroupRange()) {
            refreshHead(keyGroup);
        }
    }

    /** RocksDB's estimate of the restored timers, to size the filter before the pass that fills it. */
    private long estimatedTimers() {
        try {
            return backend.db().getLongProperty(state.storage(), "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return 0; // the pass counts them; the filter grows if the estimate was short
        }
    }

    /**
     * Replaces the filter by a larger one once the timers outnumber what it was sized for, so lookups stay rare;
     * one pass over the column family per doubling (amortized: one key read per timer registered since the last).
     */
    private void growFilterIfNeeded() {
        if (!filter.outgrownBy(size)) {
            return;
        }
        TimerMembershipFilter larger = TimerMembershipFilter.forTimers(size);
        try (RocksIterator iterator = db().newIterator(state.storage(), backend.readOptions())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                larger.add(iterator.key());
            }
            RocksIterators.checkStatus(iterator, "timer queue '" + state.name() + "'");
        }
        filter = larger;
    }

    private KeyGroupCache<K, N> cache(int keyGroup) {
        return caches[keyGroup - firstKeyGroup];
    }

    private byte[] encode(Timer<K, N> timer, int keyGroup) {
        buffer.clear();
        try {
            Bytes.writeKeyGroup(buffer, keyGroup);
            buffer.writeLong(timer.timestamp() ^ Long.MIN_VALUE);
            writeField(backend.getKeySerializer(), timer.key());
            writeField(namespaceSerializer, timer.namespace());
        } catch (IOException e) {
            throw new StateBackendException("Cannot encode a timer of '" + state.name() + "'", e);
        }
        return buffer.toByteArray();
    }

    /** Writes {@code value} as a length-prefixed field of the key in {@link #buffer}, through the reused scratch. */
    private <T> void writeField(TypeSerializer<T> serializer, T value) throws IOException {
        scratch.clear();
        Bytes.serializeInto(serializer, value, scratch, state.name());
        Bytes.writeField(buffer, scratch.getSharedBuffer(), 0, scratch.length());
    }

    private Timer<K, N> decode(byte[] bytes) {
        long timestamp = 0;
        for (int i = 0; i < 8; i++) {
            timestamp = (timestamp << 8) | (bytes[Bytes.KEY_GROUP_BYTES + i] & 0xFF);
        }
        int[] position = {Bytes.KEY_GROUP_BYTES + 8};
        int keyLength = Bytes.readVarInt(bytes, position);
        K key = Bytes.deserialize(backend.getKeySerializer(), bytes, position[0], keyLength, state.name());
        position[0] += keyLength;
        int namespaceLength = Bytes.readVarInt(bytes, position);
        N namespace = Bytes.deserialize(namespaceSerializer, bytes, position[0], namespaceLength, state.name());
        return new Timer<>(key, namespace, timestamp ^ Long.MIN_VALUE);
    }

    private int keyGroupOf(Timer<K, N> timer) {
        return KeyGroupRangeAssignment.assignToKeyGroupInRange(
                timer.key(), backend.getNumberOfKeyGroups(), backend.getKeyGroupRange());
    }

    /** Moves the key group in the order of heads after its earliest timer may have changed. */
    private void refreshHead(int keyGroup) {
        KeyGroupCache<K, N> cache = cache(keyGroup);
        Map.Entry<byte[], Timer<K, N>> first = cache.timers.firstEntry();
        if (first == null) {
            heads.remove(keyGroup - firstKeyGroup);
        } else {
            heads.update(keyGroup - firstKeyGroup, first.getValue().timestamp());
        }
    }

    /**
     * Loads the next timers of a key group whose cache ran empty, starting at {@code from} (the key just fired or
     * removed): every live timer of the key group is later, so the seek starts there instead of walking over the
     * tombstones of all timers fired before, which would make firing quadratic. An upper bound keeps the iterator
     * inside the key group.
     */
    private void refill(int keyGroup, KeyGroupCache<K, N> cache, byte[] from) {
        byte[] prefix = Bytes.keyGroupPrefix(keyGroup);
        byte[] end = Bytes.prefixEnd(prefix);
        try (Slice upperBound = end == null ? null : new Slice(end);
                ReadOptions options = new ReadOptions();
                RocksIterator iterator = newIterator(options, upperBound)) {
            iterator.seek(from);
            while (iterator.isValid() && cache.timers.size() < CACHE_SIZE) {
                byte[] key = iterator.key();
                if (!Bytes.startsWith(key, prefix)) {
                    break;
                }
                cache.timers.put(key, decode(key));
                iterator.next();
            }
            if (!iterator.isValid()) {
                RocksIterators.checkStatus(iterator, "timer queue '" + state.name() + "'");
            }
            cache.complete = !iterator.isValid() || !Bytes.startsWith(iterator.key(), prefix);
        }
    }

    private RocksIterator newIterator(ReadOptions options, Slice upperBound) {
        if (upperBound != null) {
            options.setIterateUpperBound(upperBound);
        }
        return db().newIterator(state.storage(), options);
    }

    /** The database for a read of the timers: the collected writes first. */
    private RocksDB db() {
        writePending();
        return backend.db();
    }

    /** Writes the collected puts and deletes of timers to RocksDB. */
    void writePending() {
        if (pendingEntries == 0) {
            return;
        }
        try {
            backend.db().write(backend.writeOptions(), pending);
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "RocksDB failed to write " + pendingEntries + " timer changes of '" + state.name() + "': "
                            + e.getMessage(),
                    e);
        }
        pending.clear();
        pendingEntries = 0;
    }

    /** Releases the batch; the backend is closing and its column families go with it. */
    void close() {
        pending.close();
    }

    @Override
    public Timer<K, N> peek() {
        initialize();
        int first = heads.first();
        return first < 0 ? null : caches[first].timers.firstEntry().getValue();
    }

    @Override
    public Timer<K, N> poll() {
        initialize();
        int first = heads.first();
        if (first < 0) {
            return null;
        }
        KeyGroupCache<K, N> cache = caches[first];
        Map.Entry<byte[], Timer<K, N>> head = cache.timers.pollFirstEntry();
        removed(first + firstKeyGroup, cache, head.getKey());
        return head.getValue();
    }

    /** Deletes a cached timer, refilling the cache if it ran empty, and updates the key group's head. */
    private void removeCached(int keyGroup, KeyGroupCache<K, N> cache, byte[] key) {
        cache.timers.remove(key);
        removed(keyGroup, cache, key);
    }

    /** After a timer left the cache of its key group: deletes it, refills the cache if it ran empty. */
    private void removed(int keyGroup, KeyGroupCache<K, N> cache, byte[] key) {
        delete(key);
        if (cache.timers.isEmpty() && !cache.complete) {
            refill(keyGroup, cache, key);
        }
        refreshHead(keyGroup);
    }

    @Override
    public boolean add(Timer<K, N> timer) {
        initialize();
        int keyGroup = keyGroupOf(timer);
        byte[] key = encode(timer, keyGroup);
        KeyGroupCache<K, N> cache = cache(keyGroup);
        if (cache.covers(key)) {
            if (cache.timers.putIfAbsent(key, timer) != null) {
                return false;
            }
            put(key);
            if (cache.timers.size() > 2 * CACHE_SIZE) {
                // Keep memory bounded: forget the latest cached timers; they stay in RocksDB.
                while (cache.timers.size() > CACHE_SIZE) {
                    cache.timers.pollLastEntry();
                }
                cache.complete = false;
            }
            if (cache.timers.firstKey() == key) {
                refreshHead(keyGroup); // the new timer is the key group's earliest
            }
        } else {
            // Later than everything cached: only RocksDB knows whether it is registered already, unless the filter
            // rules it out.
            if (filter.mightContain(key) && exists(key)) {
                return false;
            }
            put(key);
        }
        growFilterIfNeeded();
        return true;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        initialize();
        int keyGroup = keyGroupOf(timer);
        byte[] key = encode(timer, keyGroup);
        KeyGroupCache<K, N> cache = cache(keyGroup);
        if (cache.covers(key)) {
            if (!cache.timers.containsKey(key)) {
                return false;
            }
            removeCached(keyGroup, cache, key);
        } else {
            if (!filter.mightContain(key) || !exists(key)) {
                return false;
            }
            delete(key);
        }
        return true;
    }

    private boolean exists(byte[] key) {
        try {
            return db().get(state.storage(), backend.readOptions(), key) != null;
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name() + "': " + e.getMessage(), e);
        }
    }

    /** Registers a timer that is not registered yet. */
    private void put(byte[] key) {
        backend.checkOpen(); // the batch is released with the backend
        try {
            pending.put(state.storage(), key, EMPTY);
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name() + "': " + e.getMessage(), e);
        }
        filter.add(key);
        size++;
        collected();
    }

    /** Removes a registered timer. */
    private void delete(byte[] key) {
        backend.checkOpen(); // the batch is released with the backend
        try {
            pending.delete(state.storage(), key);
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name() + "': " + e.getMessage(), e);
        }
        filter.remove(key);
        size--;
        collected();
    }

    private void collected() {
        if (++pendingEntries >= BATCH_ENTRIES) {
            writePending();
        }
    }

    @Override
    public int size() {
        initialize();
        return size;
    }

    RegisteredState<ColumnFamilyHandle> state() {
        return state;
    }

    TypeSerializer<N> namespaceSerializer() {
        return namespaceSerializer;
    }
}

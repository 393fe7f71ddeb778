package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Cairn's object cache in front of RocksDB: deserialized values of recently used entries, by their exact RocksDB key,
 * bounded in entries and — with managed memory — in estimated bytes charged to the memory budget. A hit costs a hash
 * lookup instead of a JNI call and a deserialization.
 *
 * <p>The structure is its own: a chained hash table of entries that hold their key bytes, and CLOCK eviction (a hit
 * sets the entry's reference bit; the evicting hand clears bits and takes unreferenced entries, new entries start
 * unreferenced). A hit touches the bucket, the entry and its key bytes — no linked-list neighbours to update as in
 * an access-ordered {@code LinkedHashMap}, whose extra dependent loads made a hit cost several memory latencies.
 *
 * <p>Admission: a key not cached enters the cache the second time it is used within a while (a "doorkeeper" bit set
 * of eight to sixteen bits per entry, as in TinyLFU, cleared once it has noted as many keys as the cache holds: a key
 * is admitted if it came back before the cache could have forgotten it). Under uniform access over many more keys
 * than the cache holds little is admitted, so a cache that cannot help costs a hash and a bit test per miss instead
 * of an insertion and an eviction; the first write of a key not admitted goes to RocksDB directly.
 *
 * <p>Value states write back: an update only replaces the cached object and marks it dirty; dirty entries reach
 * RocksDB in write batches when they are evicted and when {@link #flush} runs, which the backend calls before
 * anything reads RocksDB other than through a cached state (every snapshot's synchronous part, key iteration,
 * state migration). Map states write through and keep their cached entries clean, so their iterators read RocksDB
 * as it is.
 *
 * <p>Cached objects never leave the cache: readers get {@link TypeSerializer#copy} of them (the object itself for
 * immutable types) and writers hand over a copy, so an application mutating a value it read or wrote does not change
 * the state — the semantics of RocksDB without the cache.
 *
 * <p>Used on the task thread only, like the state objects; only the metric gauges read it from other threads.
 */
final class RocksDBObjectCache {
    /** A cached "no entry": the key is known not to be in RocksDB (or deleted, when dirty). */
    static final Object ABSENT = new Object();
    /** A cached map entry whose value is {@code null} (map states accept null values). */
    static final Object NULL_VALUE = new Object();
    /** What {@link #get} returns when the key is not cached. */
    static final Object MISS = new Object();
    /** Entry object, table and clock slots, key array header: what an entry costs beyond its key and value bytes. */
    static final int ENTRY_OVERHEAD_BYTES = 128;
    /** How much a cache's size changes before it charges the shared budget (one atomic update per step). */
    static final long PUBLISH_BYTES = 256 << 10;

    /** Writes a batch to the backend's database. */
    private final Consumer<SerializedWriteBatch> writer;

    private final int maxEntries;
    private final RocksDBMemoryBudget budget;
    private final Map<RegisteredState<ColumnFamilyHandle>, Owner> owners = new IdentityHashMap<>();
    private final Probe mapKeyProbe = new Probe();
    private final DataOutputSerializer flushBuffer = new DataOutputSerializer(64);
    private final SerializedWriteBatch writeBackBatch = new SerializedWriteBatch(4096);
    /** Buckets of entries chained by {@link Entry#next}; a power of two long. */
    private Entry[] table = new Entry[1024];
    /**
     * Every entry once, in insertion order, in slots {@code [0, end)}; removed entries leave holes ({@code null})
     * until the array is compacted, so that the eviction hand never meets an entry moved behind it.
     */
    private Entry[] clock = new Entry[1024];

    private int end;
    private int count;
    private int hand;
    /** Entries counted against the bound: value entries, map units and the map entries in them. */
    private long weight;

    private long bytes;
    /** Bytes charged here but not yet to the shared budget: published in steps, not one atomic per entry. */
    private long unpublished;
    /** Whether the shared budget was exceeded when last published. */
    private boolean budgetExceeded;
    /** The doorkeeper's bits: keys used once recently. */
    private final long[] seen;

    private final int seenShift;
    private int seenSet;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * @param writer writes a batch of dirty entries to the backend's database
     * @param maxEntries the entry bound, at least 1
     * @param budget the managed memory budget charged with the estimated bytes, or {@code null}
     */
    RocksDBObjectCache(Consumer<SerializedWriteBatch> writer, int maxEntries, RocksDBMemoryBudget budget) {
        this.writer = writer;
        this.maxEntries = maxEntries;
        this.budget = budget != null && budget.objectCacheCapacity() > 0 ? budget : null;
        int bits = Integer.highestOneBit((int) Math.min(1 << 30, Math.max(1024L, 8L * maxEntries)) * 2 - 1);
        this.seen = new long[bits / 64];
        this.seenShift = 32 - Integer.numberOfTrailingZeros(bits);
    }

    /**
     * Whether a key not cached may enter: yes if the doorkeeper saw it since its last reset, else it notes it.
     *
     * @param hash the key's hash
     */
    private boolean admit(int hash) {
        int bit = (hash * 0x9E3779B9) >>> seenShift;
        long mask = 1L << bit;
        if ((seen[bit >>> 6] & mask) != 0) {
            return true;
        }
        seen[bit >>> 6] |= mask;
        if (++seenSet > Math.max(maxEntries, 64)) {
            Arrays.fill(seen, 0);
            seenSet = 0;
        }
        return false;
    }

    /** The cache's handle of one registered state: its entries are keyed by it and counted in it. */
    static final class Owner {
        final RegisteredState<ColumnFamilyHandle> state;
        /** Mixed into every key hash of this state. */
        final int seed;
        /** Entries of this state in the cache. */
        int cached;
        /** The size of the last value of this state measured, the estimate for values written unmeasured. */
        int lastValueBytes;

        private int writes;

        private Owner(RegisteredState<ColumnFamilyHandle> state) {
            this.state = state;
            this.seed = System.identityHashCode(state) | 1;
        }

        /**
         * Whether the value of this write should be measured (serialized) for the size estimate: the first and every
         * 64th, so that write-only use keeps a current estimate without serializing on every update.
         */
        boolean measureThisWrite() {
            return (writes++ & 63) == 0;
        }
    }

    Owner owner(RegisteredState<ColumnFamilyHandle> state) {
        return owners.computeIfAbsent(state, Owner::new);
    }

    /**
     * A value state's entry, or a map state's unit: the cached entries of one (key, namespace) by serialized map
     * key ({@link #map}), so that the map's {@code clear} forgets them at once.
     */
    private static final class Entry {
        final Owner owner;
        final byte[] key;
        final int hash;
        Entry next;
        int slot;
        Object value;
        Map<Key, Object> map;
        boolean dirty;
        boolean referenced;
        int bytes;

        Entry(Owner owner, byte[] key, int hash) {
            this.owner = owner;
            this.key = key;
            this.hash = hash;
        }

        /** What the entry counts against the entry bound: 1, plus a map unit's entries. */
        int weight() {
            return map == null ? 1 : 1 + map.size();
        }
    }

    /** A serialized map key inside a map unit. */
    private static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes, int hash) {
            this.bytes = bytes;
            this.hash = hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(key.bytes, bytes);
        }
    }

    /**
     * A reusable lookup key over a buffer range: {@link HashMap} calls the argument's {@code equals}, so a lookup
     * allocates nothing.
     */
    private static final class Probe {
        byte[] buffer;
        int offset;
        int end;
        int hash;

        Probe set(byte[] newBuffer, int newOffset, int newEnd) {
            buffer = newBuffer;
            offset = newOffset;
            end = newEnd;
            hash = hash(0x811C9DC5, newBuffer, newOffset, newEnd);
            return this;
        }

        Key copy() {
            return new Key(Arrays.copyOfRange(buffer, offset, end), hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(key.bytes, 0, key.bytes.length, buffer, offset, end);
        }
    }

    /**
     * FNV-1a over the unsigned bytes, then a final mix. Not {@code Arrays.hashCode}: its multiplier 31 over signed
     * bytes maps the low bytes of consecutive numeric keys onto a few thousand values.
     */
    private static int hash(int seed, byte[] bytes, int offset, int end) {
        int hash = seed;
        for (int i = offset; i < end; i++) {
            hash = (hash ^ (bytes[i] & 0xFF)) * 0x01000193;
        }
        return hash ^ (hash >>> 15);
    }

    private Entry find(Owner owner, byte[] key, int length, int hash) {
        for (Entry entry = table[hash & (table.length - 1)]; entry != null; entry = entry.next) {
            if (entry.hash == hash
                    && entry.owner == owner
                    && Arrays.equals(entry.key, 0, entry.key.length, key, 0, length)) {
                return entry;
            }
        }
        return null;
    }

    /**
     * The cached value of {@code key[0, length)}, {@link #ABSENT}, or {@link #MISS}; a hit marks the entry
     * referenced.
     */
    Object get(Owner owner, byte[] key, int length) {
        Entry entry = find(owner, key, length, hash(owner.seed, key, 0, length));
        if (entry == null) {
            misses++;
            return MISS;
        }
        hits++;
        entry.referenced = true;
        return entry.value;
    }

    /**
     * Caches {@code value} (or {@link #ABSENT}) under {@code key[0, length)}, replacing what was cached; a dirty
     * entry is written to RocksDB later. May evict (and write back) other entries.
     *
     * @param valueBytes the serialized value's size if known, else -1 (the entry keeps its previous estimate)
     * @return {@code false} when the key was not cached and is not admitted: nothing changed, and a dirty value must
     *     be written to RocksDB by the caller
     */
    boolean put(Owner owner, byte[] key, int length, Object value, boolean dirty, int valueBytes) {
        int hash = hash(owner.seed, key, 0, length);
        Entry entry = find(owner, key, length, hash);
        boolean added = entry == null;
        if (added) {
            if (!admit(hash)) {
                return false;
            }
            entry = insert(owner, key, length, hash);
            weight++;
        } else {
            entry.referenced = true;
        }
        entry.value = value;
        entry.dirty |= dirty;
        if (valueBytes >= 0 && value != ABSENT) {
            owner.lastValueBytes = valueBytes;
        }
        if (added || valueBytes >= 0) {
            // Only a new or re-measured entry changes the size: a hit on a known entry costs no bound check.
            charge(entry, ENTRY_OVERHEAD_BYTES + length + (valueBytes >= 0 ? valueBytes : owner.lastValueBytes));
            evictIfFull(entry);
        }
        return true;
    }

    /**
     * The cached value of map entry {@code key[0, length)} whose (key, namespace) prefix is
     * {@code key[0, prefixLength)}: an object, {@link #NULL_VALUE}, {@link #ABSENT} (known not to exist) or
     * {@link #MISS}.
     */
    Object getMapValue(Owner owner, byte[] key, int prefixLength, int length) {
        Entry unit = find(owner, key, prefixLength, hash(owner.seed, key, 0, prefixLength));
        Object value = unit == null ? null : unit.map.get(mapKeyProbe.set(key, prefixLength, length));
        if (value == null) {
            misses++;
            return MISS;
        }
        hits++;
        unit.referenced = true;
        return value;
    }

    /** Caches map entry {@code key[0, length)} (see {@link #getMapValue}), clean: map states write through. */
    void putMapValue(Owner owner, byte[] key, int prefixLength, int length, Object value, int valueBytes) {
        int hash = hash(owner.seed, key, 0, prefixLength);
        Entry unit = find(owner, key, prefixLength, hash);
        if (unit == null) {
            if (!admit(hash)) {
                return;
            }
            unit = insert(owner, key, prefixLength, hash);
            unit.map = new HashMap<>(4);
            weight++;
            charge(unit, ENTRY_OVERHEAD_BYTES + prefixLength);
        } else {
            unit.referenced = true;
        }
        if (unit.map.put(mapKeyProbe.set(key, prefixLength, length).copy(), value) == null) {
            weight++;
            charge(unit, unit.bytes + ENTRY_OVERHEAD_BYTES + (length - prefixLength) + Math.max(valueBytes, 0));
            evictIfFull(unit);
        }
    }

    /**
     * Forgets {@code key[0, length)} — a value entry, or a map's unit given its (key, namespace) prefix — without
     * writing it: RocksDB already has (or will get) its new value.
     */
    void invalidate(Owner owner, byte[] key, int length) {
        Entry entry = find(owner, key, length, hash(owner.seed, key, 0, length));
        if (entry != null) {
            remove(entry);
        }
    }

    /** A new, unreferenced entry: it has to be used again before the hand passes to survive. */
    private Entry insert(Owner owner, byte[] key, int length, int hash) {
        Entry entry = new Entry(owner, Arrays.copyOf(key, length), hash);
        if (end == clock.length) {
            makeRoomInClock();
        }
        entry.slot = end;
        clock[end++] = entry;
        count++;
        if (count > table.length - (table.length >> 2)) {
            resize();
        }
        int bucket = hash & (table.length - 1);
        entry.next = table[bucket];
        table[bucket] = entry;
        owner.cached++;
        return entry;
    }

    /** Compacts the clock when at least half of it is holes, else doubles it; the hand keeps its entry. */
    private void makeRoomInClock() {
        if (count > end / 2) {
            clock = Arrays.copyOf(clock, clock.length * 2);
            return;
        }
        int live = 0;
        int newHand = 0;
        for (int i = 0; i < end; i++) {
            if (i == hand) {
                newHand = live;
            }
            Entry entry = clock[i];
            if (entry != null) {
                entry.slot = live;
                clock[live++] = entry;
            }
        }
        Arrays.fill(clock, live, end, null);
        end = live;
        hand = newHand;
    }

    private void resize() {
        Entry[] old = table;
        table = new Entry[old.length * 2];
        int mask = table.length - 1;
        for (Entry head : old) {
            for (Entry entry = head; entry != null; ) {
                Entry next = entry.next;
                entry.next = table[entry.hash & mask];
                table[entry.hash & mask] = entry;
                entry = next;
            }
        }
    }

    /** Unlinks {@code entry} from its bucket and the clock, and gives back what it was charged. */
    private void remove(Entry entry) {
        int bucket = entry.hash & (table.length - 1);
        if (table[bucket] == entry) {
            table[bucket] = entry.next;
        } else {
            Entry previous = table[bucket];
            while (previous.next != entry) {
                previous = previous.next;
            }
            previous.next = entry.next;
        }
        clock[entry.slot] = null;
        count--;
        entry.owner.cached--;
        weight -= entry.weight();
        charge(entry, 0);
    }

    private boolean overBudget() {
        return budget != null && budgetExceeded;
    }

    private void charge(Entry entry, int newBytes) {
        long delta = newBytes - entry.bytes;
        entry.bytes = newBytes;
        bytes += delta;
        if (budget != null) {
            unpublished += delta;
            if (Math.abs(unpublished) >= PUBLISH_BYTES) {
                publish();
            }
        }
    }

    /** Charges the shared budget with what this cache changed since the last time, and reads whether it is full. */
    private void publish() {
        long total = budget.chargeObjectCaches(unpublished);
        unpublished = 0;
        budgetExceeded = total > budget.objectCacheCapacity();
    }

    private void evictIfFull(Entry keep) {
        if (weight > maxEntries || overBudget()) {
            evict(keep);
        }
    }

    /**
     * Evicts down to 1/64 below the bound, so that the write-back of the dirty entries evicted is one batch: the hand
     * clears reference bits and takes the first unreferenced entries it meets, never {@code keep} (the entry just
     * written or read).
     */
    private void evict(Entry keep) {
        long target = maxEntries - maxEntries / 64;
        try (WriteBack writeBack = new WriteBack()) {
            long evicted = 0;
            while (count > 1 && (weight > target || overBudget())) {
                if (hand >= end) {
                    hand = 0;
                }
                Entry entry = clock[hand++];
                if (entry == null) {
                    continue;
                }
                if (entry == keep || entry.referenced) {
                    entry.referenced = false;
                    continue;
                }
                if (entry.dirty) {
                    writeBack.add(entry);
                }
                remove(entry);
                evicted++;
            }
            evictions += evicted;
        }
        if (budget != null) {
            publish(); // another cache may have shrunk meanwhile: do not evict on every insert for a stale flag
        }
    }

    /** Writes every dirty entry to RocksDB in one batch; the entries stay cached, clean. */
    void flush() {
        try (WriteBack writeBack = new WriteBack()) {
            for (int i = 0; i < end; i++) {
                Entry entry = clock[i];
                if (entry != null && entry.dirty) {
                    writeBack.add(entry);
                    entry.dirty = false;
                }
            }
        }
    }

    /**
     * Writes all dirty entries and forgets the entries of {@code state}: its stored bytes are about to be rewritten
     * with new serializers, which the cached objects may not fit.
     */
    void flushAndForget(RegisteredState<ColumnFamilyHandle> state) {
        flush();
        Owner owner = owners.remove(state);
        for (int i = 0; owner != null && owner.cached > 0 && i < end; i++) {
            if (clock[i] != null && clock[i].owner == owner) {
                remove(clock[i]);
            }
        }
    }

    /**
     * The dirty entries of one eviction or flush, written to RocksDB as one batch when closed (an eviction of clean
     * entries writes nothing). The batch is built in Java and reused ({@link SerializedWriteBatch}).
     */
    private final class WriteBack implements AutoCloseable {
        @SuppressWarnings("unchecked")
        void add(Entry entry) {
            RegisteredState<ColumnFamilyHandle> state = entry.owner.state;
            if (entry.value == ABSENT) {
                writeBackBatch.delete(state.storage(), entry.key, entry.key.length);
            } else {
                flushBuffer.clear();
                Bytes.serializeInto(
                        (TypeSerializer<Object>) state.valueSerializers().get(0),
                        entry.value,
                        flushBuffer,
                        state.name());
                writeBackBatch.put(
                        state.storage(),
                        entry.key,
                        entry.key.length,
                        flushBuffer.getSharedBuffer(),
                        flushBuffer.length());
            }
        }

        @Override
        public void close() {
            if (writeBackBatch.count() > 0) {
                try {
                    writer.accept(writeBackBatch);
                } finally {
                    writeBackBatch.clear();
                }
            }
        }
    }

    /** Gives the budget back what this cache charged; the cache is not used afterwards. */
    void release() {
        if (budget != null) {
            budget.chargeObjectCaches(-(bytes - unpublished));
        }
        bytes = 0;
        table = new Entry[1];
        clock = new Entry[1];
        count = 0;
        end = 0;
    }

    long size() {
        return count;
    }

    long estimatedBytes() {
        return bytes;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long evictions() {
        return evictions;
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Cairn's object cache in front of RocksDB: deserialized values of recently used entries, by their exact RocksDB key,
 * in least-recently-used order, bounded in entries and — with managed memory — in estimated bytes charged to the
 * memory budget. A hit costs a hash lookup instead of a JNI call and a deserialization.
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
    /** Map node, entry, key object and array headers: what an entry costs beyond its key and value bytes. */
    static final int ENTRY_OVERHEAD_BYTES = 128;

    private final RocksDBInstance instance;
    private final int maxEntries;
    private final RocksDBMemoryBudget budget;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final Map<RegisteredState<ColumnFamilyHandle>, Owner> owners = new IdentityHashMap<>();
    private final Probe probe = new Probe();
    private final Probe mapKeyProbe = new Probe();
    /** Entries counted against the bound: value entries, map units and the map entries in them. */
    private long weight;

    private final DataOutputSerializer flushBuffer = new DataOutputSerializer(64);
    private long bytes;
    private long hits;
    private long misses;
    private long evictions;

    /**
     * @param instance where dirty entries are written
     * @param maxEntries the entry bound, at least 1
     * @param budget the managed memory budget charged with the estimated bytes, or {@code null}
     */
    RocksDBObjectCache(RocksDBInstance instance, int maxEntries, RocksDBMemoryBudget budget) {
        this.instance = instance;
        this.maxEntries = maxEntries;
        this.budget = budget != null && budget.objectCacheCapacity() > 0 ? budget : null;
    }

    /** The cache's handle of one registered state: its entries are keyed by it and counted in it. */
    static final class Owner {
        final RegisteredState<ColumnFamilyHandle> state;
        /** Entries of this state in the cache, so that a map's clear knows whether it has any to drop. */
        int cached;
        /** The size of the last value of this state measured, the estimate for values written unmeasured. */
        int lastValueBytes;

        private int writes;

        /**
         * Whether the value of this write should be measured (serialized) for the size estimate: the first and every
         * 64th, so that write-only use keeps a current estimate without serializing on every update.
         */
        boolean measureThisWrite() {
            return (writes++ & 63) == 0;
        }

        private Owner(RegisteredState<ColumnFamilyHandle> state) {
            this.state = state;
        }
    }

    Owner owner(RegisteredState<ColumnFamilyHandle> state) {
        return owners.computeIfAbsent(state, Owner::new);
    }

    /** An immutable cache key: owner and RocksDB key bytes. */
    private static final class Key {
        final Owner owner;
        final byte[] bytes;
        final int hash;

        Key(Owner owner, byte[] bytes, int hash) {
            this.owner = owner;
            this.bytes = bytes;
            this.hash = hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.owner == owner && Arrays.equals(key.bytes, bytes);
        }
    }

    /**
     * A reusable lookup key over a buffer range: {@link java.util.HashMap} calls the argument's {@code equals}, so
     * a lookup allocates nothing.
     */
    private static final class Probe {
        Owner owner;
        byte[] buffer;
        int offset;
        int end;
        int hash;

        Probe set(Owner newOwner, byte[] newBuffer, int newLength) {
            return set(newOwner, newBuffer, 0, newLength);
        }

        Probe set(Owner newOwner, byte[] newBuffer, int newOffset, int newEnd) {
            owner = newOwner;
            buffer = newBuffer;
            offset = newOffset;
            end = newEnd;
            hash = hash(newOwner, newBuffer, newOffset, newEnd);
            return this;
        }

        Key copy() {
            return new Key(owner, Arrays.copyOfRange(buffer, offset, end), hash);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && key.owner == owner
                    && Arrays.equals(key.bytes, 0, key.bytes.length, buffer, offset, end);
        }
    }

    private static int hash(Owner owner, byte[] bytes, int offset, int end) {
        int hash = owner == null ? 0 : System.identityHashCode(owner);
        for (int i = offset; i < end; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    /**
     * A value state's entry, or a map state's unit: the cached entries of one (key, namespace) by serialized map
     * key ({@link #map}), so that the map's {@code clear} forgets them at once.
     */
    private static final class Entry {
        final Key key;
        Object value;
        Map<Key, Object> map;
        boolean dirty;
        int bytes;

        Entry(Key key) {
            this.key = key;
        }

        /** What the entry counts against the entry bound: 1, plus a map unit's entries. */
        int weight() {
            return map == null ? 1 : 1 + map.size();
        }
    }

    /**
     * The cached value of {@code key[0, length)} (the entry becomes the most recently used), {@link #ABSENT}, or
     * {@link #MISS}.
     */
    Object get(Owner owner, byte[] key, int length) {
        Entry entry = entries.get(probe.set(owner, key, length));
        if (entry == null) {
            misses++;
            return MISS;
        }
        hits++;
        return entry.value;
    }

    /**
     * Caches {@code value} (or {@link #ABSENT}) under {@code key[0, length)}, replacing what was cached; a dirty
     * entry is written to RocksDB later. May evict (and write back) the least recently used entries.
     *
     * @param valueBytes the serialized value's size if known, else -1 (the entry keeps its previous estimate)
     */
    void put(Owner owner, byte[] key, int length, Object value, boolean dirty, int valueBytes) {
        Entry entry = entries.get(probe.set(owner, key, length));
        boolean added = entry == null;
        if (added) {
            entry = insert(owner);
        }
        entry.value = value;
        entry.dirty |= dirty;
        if (valueBytes >= 0 && value != ABSENT) {
            owner.lastValueBytes = valueBytes;
        }
        if (added || valueBytes >= 0) {
            // Only a new or re-measured entry changes the size: a hit on a known entry costs no bound check.
            charge(entry, ENTRY_OVERHEAD_BYTES + length + (valueBytes >= 0 ? valueBytes : owner.lastValueBytes));
            evictIfFull();
        }
    }

    /**
     * The cached value of map entry {@code key[0, length)} whose (key, namespace) prefix is
     * {@code key[0, prefixLength)}: an object, {@link #ABSENT} (known not to exist) or {@link #MISS}.
     */
    Object getMapValue(Owner owner, byte[] key, int prefixLength, int length) {
        Entry unit = entries.get(probe.set(owner, key, prefixLength));
        Object value = unit == null ? null : unit.map.get(mapKeyProbe.set(null, key, prefixLength, length));
        if (value == null) {
            misses++;
            return MISS;
        }
        hits++;
        return value;
    }

    /** Caches map entry {@code key[0, length)} (see {@link #getMapValue}), clean: map states write through. */
    void putMapValue(Owner owner, byte[] key, int prefixLength, int length, Object value, int valueBytes) {
        Entry unit = entries.get(probe.set(owner, key, prefixLength));
        if (unit == null) {
            unit = insert(owner);
            unit.map = new HashMap<>(4);
            charge(unit, ENTRY_OVERHEAD_BYTES + prefixLength);
        }
        if (unit.map.put(mapKeyProbe.set(null, key, prefixLength, length).copy(), value) == null) {
            weight++;
            charge(unit, unit.bytes + ENTRY_OVERHEAD_BYTES + (length - prefixLength) + Math.max(valueBytes, 0));
            evictIfFull();
        }
    }

    /** Forgets the cached entries of the map of (key, namespace) {@code prefix[0, prefixLength)}. */
    void invalidateMap(Owner owner, byte[] prefix, int prefixLength) {
        invalidate(owner, prefix, prefixLength);
    }

    /** A new entry for the key in {@link #probe}; the caller sets its value and charges it. */
    private Entry insert(Owner owner) {
        Key stored = probe.copy();
        Entry entry = new Entry(stored);
        entries.put(stored, entry);
        owner.cached++;
        if (entry.map == null) {
            weight++;
        }
        return entry;
    }

    /** Forgets {@code key[0, length)} without writing it: RocksDB already has (or will get) its new value. */
    void invalidate(Owner owner, byte[] key, int length) {
        Entry entry = entries.remove(probe.set(owner, key, length));
        if (entry != null) {
            forget(entry);
        }
    }

    private boolean overBudget() {
        return budget != null && budget.chargeObjectCaches(0) > budget.objectCacheCapacity();
    }

    private void charge(Entry entry, int newBytes) {
        long delta = newBytes - entry.bytes;
        entry.bytes = newBytes;
        bytes += delta;
        if (budget != null) {
            budget.chargeObjectCaches(delta);
        }
    }

    /** Accounting for an entry removed from {@link #entries}. */
    private void forget(Entry entry) {
        entry.key.owner.cached--;
        weight -= entry.weight();
        charge(entry, 0);
    }

    private void evictIfFull() {
        if (weight > maxEntries || overBudget()) {
            evict();
        }
    }

    /**
     * Evicts the least recently used entries down to 1/64 below the bound, so that their write-back is one batch,
     * keeping the newest entry; dirty ones are written to RocksDB.
     */
    private void evict() {
        long target = maxEntries - maxEntries / 64;
        try (WriteBatch batch = new WriteBatch()) {
            Iterator<Entry> iterator = entries.values().iterator();
            long evicted = 0;
            while (iterator.hasNext() && entries.size() > 1 && (weight > target || overBudget())) {
                Entry entry = iterator.next();
                iterator.remove();
                if (entry.dirty) {
                    writeBack(batch, entry);
                }
                forget(entry);
                evicted++;
            }
            evictions += evicted;
            write(batch);
        }
    }

    /** Writes every dirty entry to RocksDB in one batch; the entries stay cached, clean. */
    void flush() {
        try (WriteBatch batch = new WriteBatch()) {
            for (Entry entry : entries.values()) {
                if (entry.dirty) {
                    writeBack(batch, entry);
                    entry.dirty = false;
                }
            }
            write(batch);
        }
    }

    /**
     * Writes all dirty entries and forgets the entries of {@code state}: its stored bytes are about to be rewritten
     * with new serializers, which the cached objects may not fit.
     */
    void flushAndForget(RegisteredState<ColumnFamilyHandle> state) {
        flush();
        Owner owner = owners.remove(state);
        if (owner != null && owner.cached > 0) {
            entries.values().removeIf(entry -> {
                if (entry.key.owner == owner) {
                    forget(entry);
                    return true;
                }
                return false;
            });
        }
    }

    @SuppressWarnings("unchecked")
    private void writeBack(WriteBatch batch, Entry entry) {
        RegisteredState<ColumnFamilyHandle> state = entry.key.owner.state;
        try {
            if (entry.value == ABSENT) {
                batch.delete(state.storage(), entry.key.bytes);
            } else {
                flushBuffer.clear();
                Bytes.serializeInto(
                        (TypeSerializer<Object>) state.valueSerializers().get(0),
                        entry.value,
                        flushBuffer,
                        state.name());
                batch.put(state.storage(), entry.key.bytes, flushBuffer.toByteArray());
            }
        } catch (RocksDBException e) {
            throw new StateBackendException(
                    "Cannot write back a cached value of state '" + state.name() + "': " + e.getMessage(), e);
        }
    }

    private void write(WriteBatch batch) {
        if (batch.count() == 0) {
            return;
        }
        try {
            instance.db.write(instance.writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StateBackendException("Cannot write back cached values to RocksDB: " + e.getMessage(), e);
        }
    }

    /** Gives the budget back what this cache charged; the cache is not used afterwards. */
    void release() {
        if (budget != null) {
            budget.chargeObjectCaches(-bytes);
        }
        bytes = 0;
        entries.clear();
    }

    long size() {
        return entries.size();
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

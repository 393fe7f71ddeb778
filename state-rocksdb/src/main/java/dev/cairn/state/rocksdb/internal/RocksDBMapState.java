package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.MapState;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.RegisteredState;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Each map entry is its own RocksDB key ({@code entry key + serialized map key}); iteration walks the entry's
 * key prefix in chunks of {@value #CHUNK} entries, re-seeking after the last key seen, so no native iterator
 * stays open between calls and memory stays bounded for large maps.
 */
final class RocksDBMapState<K, N, UK, UV> extends AbstractRocksDBState<K, N> implements MapState<UK, UV> {
    private static final int CHUNK = 128;
    /** The cache's handle of this state, or {@code null} when not cached (no cache, or TTL state). */
    private final RocksDBObjectCache.Owner cached;
    /** Where the map key starts in {@link #keyBuffer} after {@link #prepareMapKey}: the (key, namespace) prefix. */
    private int prefixLength;

    RocksDBMapState(RocksDBStateAccess<K> access, RegisteredState<ColumnFamilyHandle> state) {
        super(access, state);
        this.cached = cacheOwner();
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<UK> keySerializer() {
        return (TypeSerializer<UK>) state.valueSerializers().get(0);
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<UV> valueSerializer() {
        return (TypeSerializer<UV>) state.valueSerializers().get(1);
    }

    private byte[] mapKey(UK userKey) {
        prepareMapKey(userKey);
        return keyBuffer.toByteArray();
    }

    /** Leaves the entry key of {@code userKey} in {@link #keyBuffer} (the value buffer is used as scratch). */
    private void prepareMapKey(UK userKey) {
        Objects.requireNonNull(userKey, "MapState does not accept null keys");
        prepareEntryKey();
        prefixLength = keyBuffer.length();
        valueBuffer.clear();
        Bytes.serializeInto(keySerializer(), userKey, valueBuffer, state.name());
        try {
            keyBuffer.write(valueBuffer.getSharedBuffer(), 0, valueBuffer.length());
        } catch (IOException e) {
            throw new StateBackendException("Map key of state '" + state.name() + "' too large", e);
        }
    }

    private byte[] encodeValue(UV value) {
        valueBuffer.clear();
        Bytes.serializeMapValue(valueSerializer(), value, valueBuffer, state.name());
        return valueBuffer.toByteArray();
    }

    private UV decodeValue(byte[] encoded) {
        return encoded[0] == 1
                ? null
                : Bytes.deserialize(valueSerializer(), encoded, 1, encoded.length - 1, state.name());
    }

    /** A point lookup into reused buffers: no key copy, no value array. */
    @Override
    @SuppressWarnings("unchecked")
    public UV get(UK key) {
        prepareMapKey(key);
        if (cached != null) {
            Object value = cachedValue();
            return value == RocksDBObjectCache.ABSENT || value == RocksDBObjectCache.NULL_VALUE
                    ? null
                    : valueSerializer().copy((UV) value);
        }
        int size = readCurrentBytes();
        // [1] is a null map value; [0][bytes] a value
        return size < 0 || readBuffer()[0] == 1 ? null : decodeRead(valueSerializer(), 1, size - 1);
    }

    /** The value of the map key in {@link #keyBuffer}: cached, or read from RocksDB and cached. */
    private Object cachedValue() {
        RocksDBObjectCache cache = access.cache();
        byte[] key = keyBuffer.getSharedBuffer();
        Object value = cache.getMapValue(cached, key, prefixLength, keyBuffer.length());
        if (value == RocksDBObjectCache.MISS) {
            int size = readCurrentBytes();
            if (size < 0) {
                value = RocksDBObjectCache.ABSENT;
            } else {
                value = readBuffer()[0] == 1
                        ? RocksDBObjectCache.NULL_VALUE
                        : decodeRead(valueSerializer(), 1, size - 1);
            }
            cache.putMapValue(cached, key, prefixLength, keyBuffer.length(), value, Math.max(size, 0));
        }
        return value;
    }

    /** After a write through to RocksDB: the cached entry of the map key in {@link #keyBuffer} becomes {@code value}. */
    private void cacheWritten(Object value, int valueBytes) {
        access.cache()
                .putMapValue(cached, keyBuffer.getSharedBuffer(), prefixLength, keyBuffer.length(), value, valueBytes);
    }

    /** Serialized into the value buffer and written from the shared buffers: no per-call arrays. */
    @Override
    public void put(UK key, UV value) {
        prepareMapKey(key);
        valueBuffer.clear();
        Bytes.serializeMapValue(valueSerializer(), value, valueBuffer, state.name());
        writeCurrent();
        if (cached != null) {
            cacheWritten(
                    value == null
                            ? RocksDBObjectCache.NULL_VALUE
                            : valueSerializer().copy(value),
                    valueBuffer.length());
        }
    }

    @Override
    public void putAll(Map<UK, UV> map) {
        Objects.requireNonNull(map, "MapState.putAll does not accept a null map");
        map.keySet().forEach(k -> Objects.requireNonNull(k, "MapState does not accept null keys"));
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<UK, UV> entry : map.entrySet()) {
                batch.put(state.storage(), mapKey(entry.getKey()), encodeValue(entry.getValue()));
            }
            access.db().write(access.writeOptions(), batch);
        } catch (RocksDBException e) {
            throw failure(e);
        }
        forgetCachedMap();
    }

    /** Drops the cached entries of the current (key, namespace): after writes that do not update them one by one. */
    private void forgetCachedMap() {
        if (cached != null) {
            prepareEntryKey();
            forgetCachedMap(keyBuffer.getSharedBuffer(), keyBuffer.length());
        }
    }

    @Override
    public void remove(UK key) {
        delete(mapKey(key));
        if (cached != null) {
            cacheWritten(RocksDBObjectCache.ABSENT, 0);
        }
    }

    @Override
    public boolean contains(UK key) {
        prepareMapKey(key);
        if (cached != null) {
            return cachedValue() != RocksDBObjectCache.ABSENT;
        }
        return readCurrentBytes() >= 0;
    }

    @Override
    public void clear() {
        byte[] prefix = entryKey();
        try {
            access.db().deleteRange(state.storage(), access.writeOptions(), prefix, Bytes.prefixEnd(prefix));
        } catch (RocksDBException e) {
            throw failure(e);
        }
        forgetCachedMap(prefix, prefix.length);
    }

    @Override
    public boolean isEmpty() {
        return !new EntryIterator<>(entryKey(), Function.identity()).hasNext();
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        byte[] prefix = entryKey();
        return () -> new EntryIterator<>(prefix, Function.identity());
    }

    @Override
    public Iterable<UK> keys() {
        byte[] prefix = entryKey();
        return () -> new EntryIterator<>(prefix, Map.Entry::getKey);
    }

    @Override
    public Iterable<UV> values() {
        byte[] prefix = entryKey();
        return () -> new EntryIterator<>(prefix, Map.Entry::getValue);
    }

    @Override
    public Iterator<Map.Entry<UK, UV>> iterator() {
        return new EntryIterator<>(entryKey(), Function.identity());
    }

    /** An iterated entry: {@link #setValue} writes the new value to RocksDB. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<UK, UV> {
        private final byte[] rocksKey;
        private final int prefixLength;

        WriteThroughEntry(byte[] rocksKey, int prefixLength, UK key, UV value) {
            super(key, value);
            this.rocksKey = rocksKey;
            this.prefixLength = prefixLength;
        }

        @Override
        public UV setValue(UV value) {
            put(rocksKey, encodeValue(value));
            forgetCachedMap(rocksKey, prefixLength);
            return super.setValue(value);
        }
    }

    /** Drops the cached entries of the map whose (key, namespace) prefix is {@code key[0, prefixLength)}. */
    private void forgetCachedMap(byte[] key, int prefixLength) {
        if (cached != null) {
            access.cache().invalidate(cached, key, prefixLength);
        }
    }

    /** Walks the entries under {@code prefix}, loading them in chunks; supports {@code remove()}. */
    private final class EntryIterator<T> implements Iterator<T> {
        private final byte[] prefix;
        private final Function<Map.Entry<UK, UV>, T> project;
        private final List<byte[]> keys = new ArrayList<>();
        private final List<Map.Entry<UK, UV>> entries = new ArrayList<>();
        private int position;
        private byte[] resumeAfter;
        private boolean exhausted;
        private byte[] lastReturnedKey;

        EntryIterator(byte[] prefix, Function<Map.Entry<UK, UV>, T> project) {
            this.prefix = prefix;
            this.project = project;
        }

        private void loadChunk() {
            keys.clear();
            entries.clear();
            position = 0;
            try (RocksIterator iterator = access.db().newIterator(state.storage(), access.readOptions())) {
                iterator.seek(resumeAfter == null ? prefix : resumeAfter);
                if (resumeAfter != null && iterator.isValid() && Arrays.equals(iterator.key(), resumeAfter)) {
                    iterator.next();
                }
                while (iterator.isValid() && keys.size() < CHUNK) {
                    byte[] key = iterator.key();
                    if (!Bytes.startsWith(key, prefix)) {
                        break;
                    }
                    UK userKey = Bytes.deserialize(
                            keySerializer(), key, prefix.length, key.length - prefix.length, state.name());
                    keys.add(key);
                    entries.add(new WriteThroughEntry(key, prefix.length, userKey, decodeValue(iterator.value())));
                    iterator.next();
                }
                if (!iterator.isValid()) {
                    RocksIterators.checkStatus(iterator, "map state '" + state.name() + "'");
                }
            }
            exhausted = keys.size() < CHUNK;
            if (!keys.isEmpty()) {
                resumeAfter = keys.get(keys.size() - 1);
            }
        }

        @Override
        public boolean hasNext() {
            if (position < keys.size()) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            loadChunk();
            return position < keys.size();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            lastReturnedKey = keys.get(position);
            return project.apply(entries.get(position++));
        }

        @Override
        public void remove() {
            if (lastReturnedKey == null) {
                throw new IllegalStateException("next() first");
            }
            delete(lastReturnedKey);
            forgetCachedMap(lastReturnedKey, prefix.length);
            lastReturnedKey = null;
        }
    }
}

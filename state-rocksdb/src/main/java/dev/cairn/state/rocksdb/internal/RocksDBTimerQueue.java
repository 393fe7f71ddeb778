package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.DataOutputSerializer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * Timers in their own column family with keys {@code [key group][timestamp, sign-flipped big-endian][varint
 * len][key][varint len][namespace]}: within a key group, RocksDB's bytewise order is timestamp order. Only the
 * head (earliest timer) of each key group is kept in memory, in a sorted set; polling a head re-reads that key
 * group's next timer with one seek. Memory is O(key groups), not O(timers).
 */
final class RocksDBTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    private static final byte[] EMPTY = new byte[0];

    private record Head<K, N>(int keyGroup, Timer<K, N> timer, byte[] rocksKey) {}

    private final RocksDBKeyedStateBackend<K> backend;
    private final ColumnFamilyState state;
    private final TypeSerializer<N> namespaceSerializer;
    private final DataOutputSerializer buffer = new DataOutputSerializer(64);
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);
    private final TreeSet<Head<K, N>> heads = new TreeSet<>(
            Comparator.<Head<K, N>>comparingLong(h -> h.timer().timestamp()).thenComparingInt(Head::keyGroup));
    private final Map<Integer, Head<K, N>> headByKeyGroup = new HashMap<>();
    private boolean initialized;
    private int size;

    RocksDBTimerQueue(
            RocksDBKeyedStateBackend<K> backend, ColumnFamilyState state, TypeSerializer<N> namespaceSerializer) {
        this.backend = backend;
        this.state = state;
        this.namespaceSerializer = namespaceSerializer;
    }

    private void initialize() {
        if (initialized) {
            return;
        }
        initialized = true;
        try (RocksIterator iterator = backend.db().newIterator(state.handle, backend.readOptions())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                size++;
            }
        }
        for (int keyGroup : backend.getKeyGroupRange()) {
            loadHead(keyGroup);
        }
    }

    private byte[] encode(Timer<K, N> timer, int keyGroup) {
        buffer.clear();
        try {
            Bytes.writeKeyGroup(buffer, keyGroup);
            buffer.writeLong(timer.timestamp() ^ Long.MIN_VALUE);
            byte[] key = Bytes.serialize(backend.getKeySerializer(), timer.key(), scratch, state.name);
            Bytes.writeField(buffer, key, 0, key.length);
            byte[] namespace = Bytes.serialize(namespaceSerializer, timer.namespace(), scratch, state.name);
            Bytes.writeField(buffer, namespace, 0, namespace.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot encode a timer of '" + state.name + "'", e);
        }
        return buffer.toByteArray();
    }

    private Timer<K, N> decode(byte[] bytes) {
        long timestamp = 0;
        for (int i = 0; i < 8; i++) {
            timestamp = (timestamp << 8) | (bytes[Bytes.KEY_GROUP_BYTES + i] & 0xFF);
        }
        int[] position = {Bytes.KEY_GROUP_BYTES + 8};
        int keyLength = Bytes.readVarInt(bytes, position);
        K key = Bytes.deserialize(backend.getKeySerializer(), bytes, position[0], keyLength, state.name);
        position[0] += keyLength;
        int namespaceLength = Bytes.readVarInt(bytes, position);
        N namespace = Bytes.deserialize(namespaceSerializer, bytes, position[0], namespaceLength, state.name);
        return new Timer<>(key, namespace, timestamp ^ Long.MIN_VALUE);
    }

    private int keyGroupOf(Timer<K, N> timer) {
        return KeyGroupRangeAssignment.assignToKeyGroupInRange(
                timer.key(), backend.getNumberOfKeyGroups(), backend.getKeyGroupRange());
    }

    private void loadHead(int keyGroup) {
        loadHead(keyGroup, Bytes.keyGroupPrefix(keyGroup));
    }

    /**
     * Finds the earliest timer of {@code keyGroup} at or after {@code from}. After the head was polled or removed,
     * {@code from} is its key: every live timer of the key group is later (the head was the earliest), so the seek
     * starts right there instead of walking over the tombstones of all timers already fired — which would make
     * firing quadratic. An upper bound keeps the seek inside the key group.
     */
    private void loadHead(int keyGroup, byte[] from) {
        Head<K, N> old = headByKeyGroup.remove(keyGroup);
        if (old != null) {
            heads.remove(old);
        }
        byte[] prefix = Bytes.keyGroupPrefix(keyGroup);
        byte[] end = Bytes.prefixEnd(prefix);
        try (Slice upperBound = end == null ? null : new Slice(end);
                ReadOptions options = new ReadOptions();
                RocksIterator iterator = newIterator(options, upperBound)) {
            iterator.seek(from);
            if (iterator.isValid() && Bytes.startsWith(iterator.key(), prefix)) {
                byte[] key = iterator.key();
                Head<K, N> head = new Head<>(keyGroup, decode(key), key);
                heads.add(head);
                headByKeyGroup.put(keyGroup, head);
            }
        }
    }

    private RocksIterator newIterator(ReadOptions options, Slice upperBound) {
        if (upperBound != null) {
            options.setIterateUpperBound(upperBound);
        }
        return backend.db().newIterator(state.handle, options);
    }

    @Override
    public Timer<K, N> peek() {
        initialize();
        return heads.isEmpty() ? null : heads.first().timer();
    }

    @Override
    public Timer<K, N> poll() {
        initialize();
        if (heads.isEmpty()) {
            return null;
        }
        Head<K, N> head = heads.first();
        delete(head.rocksKey());
        size--;
        loadHead(head.keyGroup(), head.rocksKey());
        return head.timer();
    }

    @Override
    public boolean add(Timer<K, N> timer) {
        initialize();
        int keyGroup = keyGroupOf(timer);
        byte[] key = encode(timer, keyGroup);
        try {
            if (backend.db().get(state.handle, backend.readOptions(), key) != null) {
                return false;
            }
            backend.db().put(state.handle, backend.writeOptions(), key, EMPTY);
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name + "': " + e.getMessage(), e);
        }
        size++;
        Head<K, N> head = headByKeyGroup.get(keyGroup);
        if (head == null || Arrays.compareUnsigned(key, head.rocksKey()) < 0) {
            if (head != null) {
                heads.remove(head);
            }
            Head<K, N> newHead = new Head<>(keyGroup, timer, key);
            heads.add(newHead);
            headByKeyGroup.put(keyGroup, newHead);
        }
        return true;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        initialize();
        int keyGroup = keyGroupOf(timer);
        byte[] key = encode(timer, keyGroup);
        try {
            if (backend.db().get(state.handle, backend.readOptions(), key) == null) {
                return false;
            }
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name + "': " + e.getMessage(), e);
        }
        delete(key);
        size--;
        Head<K, N> head = headByKeyGroup.get(keyGroup);
        if (head != null && Arrays.equals(head.rocksKey(), key)) {
            loadHead(keyGroup, key);
        }
        return true;
    }

    private void delete(byte[] key) {
        try {
            backend.db().delete(state.handle, backend.writeOptions(), key);
        } catch (RocksDBException e) {
            throw new StateBackendException("RocksDB failed on timers '" + state.name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public int size() {
        initialize();
        return size;
    }

    ColumnFamilyState state() {
        return state;
    }

    TypeSerializer<N> namespaceSerializer() {
        return namespaceSerializer;
    }
}

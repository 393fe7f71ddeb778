package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.ListState;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.DataOutputSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Appends are RocksDB merges (no read-modify-write); see {@link Bytes} for the value layout.
 *
 * <p>A merged list must stay below the 2^31-1 bytes a value can have, or it could never be read back. The sizes of
 * recently written lists are remembered (bounded, per state), so an append that would cross the limit fails
 * before anything is written; for a list not remembered, one size lookup ({@code get} into a one-byte buffer)
 * precedes the first append.
 */
final class RocksDBListState<K, N, T> extends AbstractRocksDBState<K, N> implements ListState<T> {
    /** The largest list value; lowered by tests. */
    static long maxListBytes = Integer.MAX_VALUE;

    private static final int REMEMBERED_SIZES = 65_536;

    private final DataOutputSerializer elements = new DataOutputSerializer(64);
    private final Map<ByteBuffer, Long> knownSizes = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Long> eldest) {
            return size() > REMEMBERED_SIZES;
        }
    };

    RocksDBListState(RocksDBKeyedStateBackend<K> backend, ColumnFamilyState state) {
        super(backend, state);
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<T> serializer() {
        return (TypeSerializer<T>) state.valueSerializers.get(0);
    }

    @Override
    public Iterable<T> get() {
        byte[] bytes = get(entryKey());
        if (bytes == null) {
            return Collections.emptyList();
        }
        List<T> list = new ArrayList<>();
        int[] position = {0};
        while (position[0] < bytes.length) {
            int length = Bytes.readVarInt(bytes, position);
            list.add(Bytes.deserialize(serializer(), bytes, position[0], length, state.name));
            position[0] += length;
        }
        return list;
    }

    private byte[] encode(List<T> values) {
        elements.clear();
        try {
            for (T value : values) {
                byte[] element = Bytes.serialize(
                        serializer(),
                        Objects.requireNonNull(value, "ListState does not accept null elements"),
                        valueBuffer,
                        state.name);
                Bytes.writeField(elements, element, 0, element.length);
            }
        } catch (IOException e) {
            throw new StateBackendException(
                    "List of state '" + state.name + "' exceeds RocksDB's 2^31-1 byte" + " limit for one value: "
                            + e.getMessage(),
                    e);
        }
        return elements.toByteArray();
    }

    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "ListState does not accept null elements");
        merge(encode(List.of(value)));
    }

    @Override
    public void addAll(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        byte[] encoded = encode(values);
        if (encoded.length > 0) {
            merge(encoded);
        }
    }

    @Override
    public void update(List<T> values) {
        Objects.requireNonNull(values, "ListState does not accept a null list");
        byte[] encoded = encode(values);
        if (encoded.length == 0) {
            clear();
        } else {
            byte[] key = entryKey();
            checkSize(0, encoded.length);
            put(key, encoded);
            knownSizes.put(ByteBuffer.wrap(key), (long) encoded.length);
        }
    }

    @Override
    public void clear() {
        byte[] key = entryKey();
        delete(key);
        knownSizes.remove(ByteBuffer.wrap(key));
    }

    private void merge(byte[] encoded) {
        byte[] key = entryKey();
        long size = currentSize(key);
        checkSize(size, encoded.length);
        try {
            backend.db().merge(state.handle, backend.writeOptions(), key, encoded);
        } catch (RocksDBException e) {
            throw failure(e);
        }
        knownSizes.put(ByteBuffer.wrap(key), size + encoded.length);
    }

    private long currentSize(byte[] key) {
        Long known = knownSizes.get(ByteBuffer.wrap(key));
        if (known != null) {
            return known;
        }
        try {
            int size = backend.db().get(state.handle, backend.readOptions(), key, new byte[1]);
            return size == RocksDB.NOT_FOUND ? 0 : (size < 0 ? Long.MAX_VALUE : size);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private void checkSize(long current, int appended) {
        if (current + appended > maxListBytes) {
            throw new StateBackendException("The list of state '" + state.name + "' for key '"
                    + backend.getCurrentKey() + "' would grow to " + (current + appended) + " bytes, more than the "
                    + maxListBytes + " bytes (2^31-1) a RocksDB value can have; nothing was written");
        }
    }
}

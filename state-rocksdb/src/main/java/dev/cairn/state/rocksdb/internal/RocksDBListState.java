package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.ListState;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.DataOutputSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.rocksdb.RocksDBException;

/** Appends are RocksDB merges (no read-modify-write); see {@link Bytes} for the value layout. */
final class RocksDBListState<K, N, T> extends AbstractRocksDBState<K, N> implements ListState<T> {
    private final DataOutputSerializer elements = new DataOutputSerializer(64);

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
            put(entryKey(), encoded);
        }
    }

    private void merge(byte[] encoded) {
        try {
            backend.db().merge(state.handle, backend.writeOptions(), entryKey(), encoded);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }
}

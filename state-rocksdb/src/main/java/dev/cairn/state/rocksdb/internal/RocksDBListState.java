package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.ListState;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Appends are RocksDB merges (no read-modify-write); see {@link Bytes} for the value layout.
 *
 * <p>A merged list must stay below the 2^31-1 bytes a value can have, or it could never be read back. Upper bounds
 * of the sizes of recently written lists are kept in a compact table ({@link ListSizeBounds}, up to
 * 262,144 lists per state by default, shared by the backend's state objects of that state), so an append that
 * would cross the limit fails before anything is written. For a state whose column family started empty in this
 * backend an append never reads, however many lists there are: lists the table forgot are bounded by the largest
 * bound it forgot. For restored state, a list the table does not know costs one size lookup ({@code get} into a
 * one-byte buffer, which makes RocksDB merge the list) before its first append. Only a bound near the limit is
 * re-checked exactly.
 */
final class RocksDBListState<K, N, T> extends AbstractRocksDBState<K, N>
        implements ListState<T>, InternalMergingState<N> {
    /** The largest list value; lowered by tests. */
    static long maxListBytes = Integer.MAX_VALUE;

    /** Lists whose size bound is kept per state: 16 bytes each, so at most 8 MB with the table's slack; lowered by tests. */
    static int trackedLists = 262_144;

    private final DataOutputSerializer elements = new DataOutputSerializer(64);
    private final ListSizeBounds sizes;

    RocksDBListState(RocksDBStateAccess<K> access, RegisteredState<ColumnFamilyHandle> state, ListSizeBounds sizes) {
        super(access, state);
        this.sizes = sizes;
    }

    @SuppressWarnings("unchecked")
    private TypeSerializer<T> serializer() {
        return (TypeSerializer<T>) state.valueSerializers().get(0);
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
            list.add(Bytes.deserialize(serializer(), bytes, position[0], length, state.name()));
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
                        state.name());
                Bytes.writeField(elements, element, 0, element.length);
            }
        } catch (IOException e) {
            throw new StateBackendException(
                    "List of state '" + state.name() + "' exceeds RocksDB's 2^31-1 byte" + " limit for one value: "
                            + e.getMessage(),
                    e);
        }
        return elements.toByteArray();
    }

    /**
     * One element, without copies: serialized into the value buffer, framed into the element buffer and merged from
     * the shared buffers under the key built in the key buffer (the hot path of window operators).
     */
    @Override
    public void add(T value) {
        Objects.requireNonNull(value, "ListState does not accept null elements");
        valueBuffer.clear();
        Bytes.serializeInto(serializer(), value, valueBuffer, state.name());
        elements.clear();
        try {
            Bytes.writeField(elements, valueBuffer.getSharedBuffer(), 0, valueBuffer.length());
        } catch (IOException e) {
            throw new StateBackendException("An element of state '" + state.name() + "' is too large", e);
        }
        prepareEntryKey();
        merge(keyBuffer.getSharedBuffer(), keyBuffer.length(), elements.getSharedBuffer(), elements.length());
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
            sizes.raiseTo(sizes.hash(key), encoded.length);
        }
    }

    // clear() is inherited: the list's size bound stays, an upper bound is still an upper bound.

    /**
     * Flink's heap semantics: the sources' elements, in source order, are appended to the target's (one RocksDB
     * merge of the concatenated bytes, no deserialization); the sources are deleted.
     */
    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        List<byte[]> sourceKeys = new ArrayList<>();
        DataOutputSerializer merged = new DataOutputSerializer(256);
        try {
            // A namespace named twice is taken once (the second time it is empty already, as on the heap).
            for (N source : new java.util.LinkedHashSet<>(sources)) {
                if (source == null) {
                    continue;
                }
                byte[] sourceKey = entryKeyIn(source);
                byte[] elements = get(sourceKey);
                if (elements != null) {
                    sourceKeys.add(sourceKey);
                    merged.write(elements);
                }
            }
        } catch (IOException e) {
            throw new StateBackendException("Merged list of state '" + state.name() + "' too large", e);
        }
        if (merged.length() == 0) {
            return;
        }
        byte[] targetKey = entryKeyIn(target);
        // Check before deleting anything: a merge that would exceed the value limit leaves every list as it was.
        checkSize(exactSize(targetKey, targetKey.length), merged.length());
        for (byte[] sourceKey : sourceKeys) {
            delete(sourceKey);
        }
        merge(targetKey, merged.toByteArray());
    }

    private void merge(byte[] encoded) {
        merge(entryKey(), encoded);
    }

    private void merge(byte[] key, byte[] encoded) {
        merge(key, key.length, encoded, encoded.length);
    }

    /** Merges {@code encoded[0, length)} under {@code key[0, keyLength)}, within the list size limit. */
    private void merge(byte[] key, int keyLength, byte[] encoded, int length) {
        long hash = sizes.hash(key, keyLength);
        long bound = sizes.get(hash);
        if (bound < 0) {
            bound = exactSize(key, keyLength);
        }
        if (bound + length > maxListBytes) {
            // The bound may be conservative (a cleared or shrunk list, a hash shared with another list): decide on
            // the exact size.
            checkSize(exactSize(key, keyLength), length);
        }
        try {
            access.merge(state.storage(), key, keyLength, encoded, length);
        } catch (RocksDBException e) {
            throw failure(e);
        }
        sizes.set(hash, bound + length);
    }

    private long exactSize(byte[] key, int keyLength) {
        try {
            byte[] exactKey = key.length == keyLength ? key : Arrays.copyOf(key, keyLength);
            int size = access.db().get(state.storage(), access.readOptions(), exactKey, new byte[1]);
            return size == RocksDB.NOT_FOUND ? 0 : (size < 0 ? Long.MAX_VALUE : size);
        } catch (RocksDBException e) {
            throw failure(e);
        }
    }

    private void checkSize(long current, int appended) {
        if (current + appended > maxListBytes) {
            throw new StateBackendException("The list of state '" + state.name() + "' for key '"
                    + access.currentKey() + "' would grow to " + (current + appended) + " bytes, more than the "
                    + maxListBytes + " bytes (2^31-1) a RocksDB value can have; nothing was written");
        }
    }
}

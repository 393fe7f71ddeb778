package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * Rewrites a restored state whose new serializers are compatible only after migration (for example an enum whose
 * constants were reordered), or whose TTL was switched on or off: every value (list element, map key and value) is
 * read with the serializer that wrote it, converted (wrapped in or unwrapped from a {@code TtlValue}), and written
 * with the new one. Keys and namespaces are never migrated.
 */
final class RocksDBStateMigration {
    private final RocksDBKeyedStateBackend<?> backend;
    private final RegisteredState<ColumnFamilyHandle> state;
    private static final int BATCH_BYTES = 4 << 20;
    private final DataOutputSerializer buffer = new DataOutputSerializer(64);

    RocksDBStateMigration(RocksDBKeyedStateBackend<?> backend, RegisteredState<ColumnFamilyHandle> state) {
        this.backend = backend;
        this.state = state;
    }

    /**
     * @param convert applied to every value (list element, map value, value or accumulator) between reading and
     *     writing; see {@link dev.cairn.state.support.TtlChange#converter}
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void migrate(List<TypeSerializer<?>> newSerializers, Function<Object, Object> convert) {
        List<TypeSerializer<?>> old = state.valueSerializers();
        SerializedWriteBatch batch = new SerializedWriteBatch(64 * 1024);
        try (RocksIterator iterator = backend.db().newIterator(state.storage(), backend.readOptions())) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                byte[] key = iterator.key();
                byte[] value = iterator.value();
                byte[] newKey = key;
                byte[] newValue;
                switch (state.kind()) {
                    case LIST -> {
                        DataOutputSerializer out = new DataOutputSerializer(value.length);
                        int[] position = {0};
                        while (position[0] < value.length) {
                            int length = Bytes.readVarInt(value, position);
                            Object element = convert.apply(
                                    Bytes.deserialize(old.get(0), value, position[0], length, state.name()));
                            position[0] += length;
                            byte[] bytes = Bytes.serialize(
                                    (TypeSerializer) newSerializers.get(0), element, buffer, state.name());
                            Bytes.writeField(out, bytes, 0, bytes.length);
                        }
                        newValue = out.toByteArray();
                    }
                    case MAP -> {
                        Bytes.Parsed parsed = Bytes.parse(key);
                        Object userKey = Bytes.deserialize(
                                old.get(0), key, parsed.restOffset(), key.length - parsed.restOffset(), state.name());
                        byte[] userKeyBytes =
                                Bytes.serialize((TypeSerializer) newSerializers.get(0), userKey, buffer, state.name());
                        newKey = Arrays.copyOf(key, parsed.restOffset() + userKeyBytes.length);
                        System.arraycopy(userKeyBytes, 0, newKey, parsed.restOffset(), userKeyBytes.length);
                        Object userValue = convert.apply(
                                value[0] == 1
                                        ? null
                                        : Bytes.deserialize(old.get(1), value, 1, value.length - 1, state.name()));
                        if (userValue == null) {
                            newValue = new byte[] {1};
                        } else {
                            byte[] bytes = Bytes.serialize(
                                    (TypeSerializer) newSerializers.get(1), userValue, buffer, state.name());
                            newValue = new byte[bytes.length + 1];
                            System.arraycopy(bytes, 0, newValue, 1, bytes.length);
                        }
                    }
                    default -> {
                        Object current =
                                convert.apply(Bytes.deserialize(old.get(0), value, 0, value.length, state.name()));
                        newValue =
                                Bytes.serialize((TypeSerializer) newSerializers.get(0), current, buffer, state.name());
                    }
                }
                if (newKey != key) {
                    batch.delete(state.storage(), key, key.length);
                }
                batch.put(state.storage(), newKey, newKey.length, newValue, newValue.length);
                if (batch.sizeInBytes() > BATCH_BYTES) {
                    // The iterator reads the state as of its creation, so writing while iterating is safe.
                    backend.write(batch);
                }
            }
            RocksIterators.checkStatus(iterator, "state '" + state.name() + "' for migration");
            backend.write(batch);
        } catch (IOException e) {
            throw new StateBackendException("Migrating state '" + state.name() + "' failed: " + e.getMessage(), e);
        }
    }
}

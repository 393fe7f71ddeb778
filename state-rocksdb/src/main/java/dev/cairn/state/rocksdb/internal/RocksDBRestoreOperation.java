package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.CanonicalSnapshotReader;
import dev.cairn.state.spi.DataOutputSerializer;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateMetaInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Restores canonical snapshots into RocksDB: for the key groups of the backend's range only, each record's
 * key, namespace and value bytes are laid out as RocksDB keys and values and written in batches — no
 * deserialization, except heap-mode timers.
 */
final class RocksDBRestoreOperation<K> {
    private static final int BATCH_BYTES = 4 << 20;

    private final RocksDBKeyedStateBackend<K> backend;
    private final ClassLoader classLoader;
    private final DataOutputSerializer key = new DataOutputSerializer(128);
    private final DataOutputSerializer value = new DataOutputSerializer(256);

    RocksDBRestoreOperation(RocksDBKeyedStateBackend<K> backend, ClassLoader classLoader) {
        this.backend = backend;
        this.classLoader = classLoader;
    }

    void restore(List<KeyedStateHandle> handles) throws IOException {
        for (KeyedStateHandle handle : handles) {
            KeyedStateHandle clipped = handle.getIntersection(backend.getKeyGroupRange());
            if (clipped == null) {
                continue;
            }
            if (!(clipped instanceof KeyGroupsStateHandle keyGroups)) {
                throw new StateBackendException("Cannot restore a "
                        + handle.getClass().getSimpleName() + " into RocksDB: only canonical snapshots are supported");
            }
            restoreHandle(keyGroups);
        }
    }

    private record Target(
            StateMetaInfo metaInfo,
            ColumnFamilyState columnFamily,
            HeapModeTimerQueue<?, Object> heapTimers,
            TypeSerializer<?> timerNamespaceSerializer) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void restoreHandle(KeyGroupsStateHandle handle) throws IOException {
        try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(handle, classLoader);
                WriteBatch batch = new WriteBatch()) {
            TypeSerializer<K> restoredKeySerializer =
                    reader.checkRestorableInto(backend.getNumberOfKeyGroups(), backend.getKeySerializer(), true);
            List<Target> targets = new ArrayList<>();
            for (StateMetaInfo metaInfo : reader.getStates()) {
                if (metaInfo.getType() == StateDescriptor.Type.TIMERS && backend.timersOnHeap()) {
                    targets.add(new Target(
                            metaInfo,
                            null,
                            backend.restoredHeapTimers(metaInfo),
                            metaInfo.getNamespaceSerializer().restoreSerializer()));
                } else {
                    targets.add(new Target(metaInfo, backend.restoredColumnFamily(metaInfo), null, null));
                }
            }
            for (int keyGroup : handle.getKeyGroupRange()) {
                reader.seekKeyGroup(keyGroup);
                for (int index = reader.nextRecord(); index >= 0; index = reader.nextRecord()) {
                    Target target = targets.get(index);
                    byte[] keyBytes = reader.readBytes();
                    byte[] namespaceBytes = reader.readBytes();
                    if (target.heapTimers() != null) {
                        K timerKey = Bytes.deserialize(restoredKeySerializer, keyBytes, 0, keyBytes.length, "timers");
                        Object namespace = Bytes.deserialize(
                                (TypeSerializer) target.timerNamespaceSerializer(),
                                namespaceBytes,
                                0,
                                namespaceBytes.length,
                                "timers");
                        ((HeapModeTimerQueue) target.heapTimers())
                                .add(new Timer<>(timerKey, namespace, reader.readLong()));
                        continue;
                    }
                    key.clear();
                    value.clear();
                    Bytes.writeKeyGroup(key, keyGroup);
                    switch (target.metaInfo().getType()) {
                        case TIMERS -> {
                            key.writeLong(reader.readLong() ^ Long.MIN_VALUE);
                            Bytes.writeField(key, keyBytes, 0, keyBytes.length);
                            Bytes.writeField(key, namespaceBytes, 0, namespaceBytes.length);
                        }
                        case LIST -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            int count = reader.readCount();
                            for (int i = 0; i < count; i++) {
                                byte[] element = reader.readBytes();
                                Bytes.writeField(value, element, 0, element.length);
                            }
                        }
                        case MAP -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            key.write(reader.readBytes());
                            if (reader.readBoolean()) {
                                value.writeByte(1);
                            } else {
                                value.writeByte(0);
                                value.write(reader.readBytes());
                            }
                        }
                        default -> {
                            writeEntryKey(keyBytes, namespaceBytes);
                            value.write(reader.readBytes());
                        }
                    }
                    try {
                        batch.put(target.columnFamily().handle, key.toByteArray(), value.toByteArray());
                        if (batch.getDataSize() > BATCH_BYTES) {
                            backend.write(batch);
                            batch.clear();
                        }
                    } catch (RocksDBException e) {
                        throw new StateBackendException("Restoring into RocksDB failed: " + e.getMessage(), e);
                    }
                }
            }
            backend.write(batch);
        }
    }

    private void writeEntryKey(byte[] keyBytes, byte[] namespaceBytes) throws IOException {
        Bytes.writeField(key, keyBytes, 0, keyBytes.length);
        Bytes.writeField(key, namespaceBytes, 0, namespaceBytes.length);
    }
}

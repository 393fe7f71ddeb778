package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import dev.cairn.state.support.TimerSlot;
import dev.cairn.state.support.TtlValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * The asynchronous part of a RocksDB snapshot: reads every key group of every column family at the RocksDB
 * snapshot taken by the synchronous part and writes canonical records, copying the stored key, namespace and
 * value bytes (they are the serializers' bytes already). TTL values expired before the cut-off are skipped when
 * full-snapshot cleanup is on.
 *
 * <p>For a native checkpoint the column families' contents are in the uploaded database files; the writer then
 * runs without a RocksDB snapshot and writes only the header (every state's meta information) and the heap-mode
 * timers.
 */
final class RocksDBSnapshotWriter<K> {

    /**
     * One state to write: a column family (dropping values expired at {@code now} when {@code cleanupTtlMillis} is
     * positive), or heap-mode timers whose key-group bucket arrays the synchronous part captured.
     */
    record Source(
            StateMetaInfo metaInfo,
            ColumnFamilyHandle handle,
            long cleanupTtlMillis,
            long now,
            TypeSerializer<?> timerNamespaceSerializer,
            StateEntry<?, ?, ?>[][] heapTimers) {

        static Source columnFamily(StateMetaInfo metaInfo, ColumnFamilyHandle handle, long cleanupTtlMillis, long now) {
            return new Source(metaInfo, handle, cleanupTtlMillis, now, null, null);
        }

        static Source heapTimers(
                StateMetaInfo metaInfo, TypeSerializer<?> namespaceSerializer, StateEntry<?, ?, ?>[][] timers) {
            return new Source(metaInfo, null, 0, 0, namespaceSerializer, timers);
        }

        boolean expired(byte[] ttlValue, int offset) {
            return cleanupTtlMillis > 0 && TtlValue.isExpired(Bytes.readLong(ttlValue, offset), cleanupTtlMillis, now);
        }
    }

    private final RocksDBKeyedStateBackend<K> backend;
    private final Snapshot snapshot;
    private final TypeSerializer<K> keySerializer;
    private final int numberOfKeyGroups;
    private final KeyGroupRange range;
    private final List<Source> sources;
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);

    /**
     * @param snapshot the RocksDB snapshot whose column family contents to write, or {@code null} to write only
     *     the meta information and heap-mode timers
     */
    RocksDBSnapshotWriter(
            RocksDBKeyedStateBackend<K> backend,
            Snapshot snapshot,
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange range,
            List<Source> sources) {
        this.backend = backend;
        this.snapshot = snapshot;
        this.keySerializer = keySerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.range = range;
        this.sources = sources;
    }

    /** Writes the snapshot; stops with a {@link java.util.concurrent.CancellationException} once {@code task} is. */
    KeyGroupsStateHandle write(CheckpointStreamFactory streamFactory, AsyncSnapshotTask<?> task) throws IOException {
        List<StateMetaInfo> metaInfos = new ArrayList<>();
        for (Source source : sources) {
            metaInfos.add(source.metaInfo());
        }
        List<RocksIterator> iterators = new ArrayList<>();
        try (ReadOptions readOptions = snapshot == null ? null : new ReadOptions().setSnapshot(snapshot);
                CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                        streamFactory.createOutputStream(StateScope.EXCLUSIVE),
                        range,
                        keySerializer,
                        numberOfKeyGroups,
                        metaInfos)) {
            for (Source source : sources) {
                iterators.add(
                        source.handle() == null || snapshot == null
                                ? null
                                : backend.dbAsWritten().newIterator(source.handle(), readOptions));
            }
            for (int keyGroup = range.getStartKeyGroup(); keyGroup <= range.getEndKeyGroup(); keyGroup++) {
                task.throwIfCancelled();
                writer.startKeyGroup(keyGroup);
                for (int index = 0; index < sources.size(); index++) {
                    Source source = sources.get(index);
                    if (source.handle() == null) {
                        writeHeapTimers(writer, index, source, keyGroup);
                    } else if (snapshot != null) {
                        writeColumnFamily(writer, index, source, iterators.get(index), keyGroup);
                    }
                }
                writer.endKeyGroup();
            }
            return writer.finish();
        } finally {
            for (RocksIterator iterator : iterators) {
                if (iterator != null) {
                    iterator.close();
                }
            }
        }
    }

    private void writeColumnFamily(
            CanonicalSnapshotWriter writer, int index, Source source, RocksIterator iterator, int keyGroup)
            throws IOException {
        byte[] prefix = Bytes.keyGroupPrefix(keyGroup);
        StateKind type = source.metaInfo().getKind();
        iterator.seek(prefix);
        for (; iterator.isValid() && Bytes.startsWith(iterator.key(), prefix); iterator.next()) {
            byte[] key = iterator.key();
            if (type == StateKind.TIMERS) {
                writeRocksTimer(writer, index, key);
                continue;
            }
            byte[] value = iterator.value();
            Bytes.Parsed parsed = Bytes.parse(key);
            switch (type) {
                case LIST -> writeList(writer, index, source, key, parsed, value);
                case MAP -> {
                    if (value[0] == 0 && source.expired(value, 1)) {
                        continue;
                    }
                    writePrefix(writer, index, key, parsed);
                    writer.writeBytes(key, parsed.restOffset(), key.length - parsed.restOffset());
                    writer.writeBoolean(value[0] == 1);
                    if (value[0] == 0) {
                        writer.writeBytes(value, 1, value.length - 1);
                    }
                }
                default -> {
                    if (source.expired(value, 0)) {
                        continue;
                    }
                    writePrefix(writer, index, key, parsed);
                    writer.writeBytes(value, 0, value.length);
                }
            }
        }
        RocksIterators.checkStatusForSnapshot(
                iterator, "state '" + source.metaInfo().getName() + "'");
    }

    private static void writePrefix(CanonicalSnapshotWriter writer, int index, byte[] key, Bytes.Parsed parsed)
            throws IOException {
        writer.startRecord(index);
        writer.writeBytes(key, parsed.keyOffset(), parsed.keyLength());
        writer.writeBytes(key, parsed.namespaceOffset(), parsed.namespaceLength());
    }

    private static void writeList(
            CanonicalSnapshotWriter writer, int index, Source source, byte[] key, Bytes.Parsed parsed, byte[] value)
            throws IOException {
        List<int[]> elements = new ArrayList<>();
        int[] position = {0};
        while (position[0] < value.length) {
            int length = Bytes.readVarInt(value, position);
            if (!source.expired(value, position[0])) {
                elements.add(new int[] {position[0], length});
            }
            position[0] += length;
        }
        if (elements.isEmpty()) {
            return;
        }
        writePrefix(writer, index, key, parsed);
        writer.writeCount(elements.size());
        for (int[] element : elements) {
            writer.writeBytes(value, element[0], element[1]);
        }
    }

    private static void writeRocksTimer(CanonicalSnapshotWriter writer, int index, byte[] key) throws IOException {
        long timestamp = Bytes.readLong(key, Bytes.KEY_GROUP_BYTES);
        int[] position = {Bytes.KEY_GROUP_BYTES + 8};
        int keyLength = Bytes.readVarInt(key, position);
        int keyOffset = position[0];
        position[0] += keyLength;
        int namespaceLength = Bytes.readVarInt(key, position);
        writer.startRecord(index);
        writer.writeBytes(key, keyOffset, keyLength);
        writer.writeBytes(key, position[0], namespaceLength);
        writer.writeLong(timestamp ^ Long.MIN_VALUE);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void writeHeapTimers(CanonicalSnapshotWriter writer, int index, Source source, int keyGroup)
            throws IOException {
        StateEntry[] table = source.heapTimers()[keyGroup - range.getStartKeyGroup()];
        Iterator<StateEntry<K, TimerSlot<?>, Boolean>> timers = CopyOnWriteStateMap.iterate(table);
        while (timers.hasNext()) {
            StateEntry<K, TimerSlot<?>, Boolean> timer = timers.next();
            writer.startRecord(index);
            writer.writeSerialized(keySerializer, timer.key());
            writer.writeSerialized(
                    (TypeSerializer) source.timerNamespaceSerializer(),
                    timer.namespace().namespace());
            writer.writeLong(timer.namespace().timestamp());
        }
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.support.DataOutputSerializer;
import dev.cairn.state.support.RegisteredState;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.TtlValue;
import java.io.IOException;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * Incremental TTL cleanup for RocksDB: on every access of a TTL state, checks the next few entries after a
 * cursor that walks the whole column family round-robin and deletes expired values (or rewrites lists without
 * their expired elements). RocksJava offers no pluggable compaction filter, so this replaces Flink's
 * compaction-filter cleanup; expired values are also skipped by full snapshots and on access.
 */
final class RocksDBTtlIncrementalCleanup {
    private final RocksDBKeyedStateBackend<?> backend;
    private final RegisteredState<ColumnFamilyHandle> state;
    private final long ttlMillis;
    private final TtlTimeProvider time;
    private final int entriesPerAccess;
    private byte[] cursor;

    RocksDBTtlIncrementalCleanup(
            RocksDBKeyedStateBackend<?> backend,
            RegisteredState<ColumnFamilyHandle> state,
            long ttlMillis,
            TtlTimeProvider time,
            int entriesPerAccess) {
        this.backend = backend;
        this.state = state;
        this.ttlMillis = ttlMillis;
        this.time = time;
        this.entriesPerAccess = entriesPerAccess;
    }

    private boolean expired(byte[] bytes, int offset, long now) {
        return TtlValue.isExpired(Bytes.readLong(bytes, offset), ttlMillis, now);
    }

    void run() {
        long now = time.currentTimestamp();
        SerializedWriteBatch batch = new SerializedWriteBatch(4096);
        try (RocksIterator iterator = backend.db().newIterator(state.storage(), backend.readOptions())) {
            if (cursor == null) {
                iterator.seekToFirst();
            } else {
                iterator.seek(cursor);
            }
            for (int checked = 0; checked < entriesPerAccess; checked++) {
                if (!iterator.isValid()) {
                    RocksIterators.checkStatus(iterator, "state '" + state.name() + "' for TTL cleanup");
                    iterator.seekToFirst();
                    if (!iterator.isValid()) {
                        break;
                    }
                }
                byte[] key = iterator.key();
                byte[] value = iterator.value();
                if (state.kind() == StateKind.LIST) {
                    DataOutputSerializer kept = new DataOutputSerializer(value.length);
                    int[] position = {0};
                    while (position[0] < value.length) {
                        int length = Bytes.readVarInt(value, position);
                        if (!expired(value, position[0], now)) {
                            Bytes.writeField(kept, value, position[0], length);
                        }
                        position[0] += length;
                    }
                    if (kept.length() == 0) {
                        batch.delete(state.storage(), key, key.length);
                    } else if (kept.length() < value.length) {
                        batch.put(state.storage(), key, key.length, kept.getSharedBuffer(), kept.length());
                    }
                } else if (state.kind() == StateKind.MAP
                        ? value[0] == 0 && expired(value, 1, now)
                        : expired(value, 0, now)) {
                    batch.delete(state.storage(), key, key.length);
                }
                iterator.next();
                cursor = iterator.isValid() ? iterator.key() : null;
            }
            if (batch.count() > 0) {
                backend.write(batch);
            }
        } catch (IOException e) {
            throw new StateBackendException("TTL cleanup of state '" + state.name() + "' failed: " + e.getMessage(), e);
        }
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.spi.StreamStateHandle;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which SST files of this backend are in checkpoint storage, by local file name: those of the last checkpoint
 * known to be complete (safe to reference, since a retained checkpoint holds them) and those of checkpoints still
 * pending. An incremental checkpoint reuses only files of the last completed one, as Flink does: a pending
 * checkpoint may still fail and take its uploads with it.
 *
 * <p>SST files are immutable and their names (file numbers) are never reused within one RocksDB instance, so a
 * name identifies the bytes. Thread-safe: checkpoints start on the task thread and complete on others.
 */
final class UploadedSstFiles {
    private Map<String, StreamStateHandle> confirmed = Map.of();
    private final TreeMap<Long, Map<String, StreamStateHandle>> pending = new TreeMap<>();

    /** The files of the last completed checkpoint, which a new checkpoint may reference instead of uploading. */
    synchronized Map<String, StreamStateHandle> reusable() {
        return confirmed;
    }

    /** Checkpoint {@code checkpointId} holds {@code files} (uploaded or reused). */
    synchronized void snapshotTaken(long checkpointId, Map<String, StreamStateHandle> files) {
        pending.put(checkpointId, Map.copyOf(files));
    }

    /** Checkpoint {@code checkpointId} completed: its files become reusable; older pending ones are forgotten. */
    synchronized void completed(long checkpointId) {
        Map<String, StreamStateHandle> files = pending.get(checkpointId);
        if (files != null) {
            confirmed = files;
        }
        pending.headMap(checkpointId, true).clear();
    }

    /** Checkpoint {@code checkpointId} failed: its files must not be referenced. */
    synchronized void aborted(long checkpointId) {
        pending.remove(checkpointId);
    }
}

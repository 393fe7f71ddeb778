package dev.cairn.changelog;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A checkpoint of a changelog backend: the inner backend's last materialized snapshot plus the segments of
 * state changes written since. Restoring means restoring the materialized part into the inner backend and
 * replaying the changes, in order, for the restored key groups.
 *
 * @param keyGroupRange the key groups of the backend that wrote it
 * @param materialized the inner backend's snapshot (empty when nothing was materialized yet)
 * @param materializationId which materialization {@code materialized} is ({@code 0} for none)
 * @param changes the change segments since that materialization, in sequence order
 * @param checkpointedSize bytes this checkpoint uploaded itself (changes since the previous checkpoint)
 * @param legacyKeyGroupHash whether the changes were recorded with Cairn's earlier key-group hash (metadata of that
 *     time does not say): their keys may then belong to any key group, so every restoring backend replays them and
 *     assigns each key its key group again
 */
public record ChangelogStateBackendHandle(
        KeyGroupRange keyGroupRange,
        List<KeyedStateHandle> materialized,
        long materializationId,
        List<Segment> changes,
        long checkpointedSize,
        boolean legacyKeyGroupHash)
        implements KeyedStateHandle {

    /**
     * A handle of changes recorded with the current (Flink's) key-group hash.
     *
     * @param keyGroupRange the key groups the handle covers
     * @param materialized the wrapped backend's snapshot, empty before the first materialization
     * @param materializationId which materialization {@code materialized} is ({@code 0} for none)
     * @param changes the change segments since that materialization, in sequence order
     * @param checkpointedSize bytes this checkpoint uploaded itself
     */
    public ChangelogStateBackendHandle(
            KeyGroupRange keyGroupRange,
            List<KeyedStateHandle> materialized,
            long materializationId,
            List<Segment> changes,
            long checkpointedSize) {
        this(keyGroupRange, materialized, materializationId, changes, checkpointedSize, false);
    }

    /**
     * A run of change records: {@code length} bytes at {@code offset} of {@code stream} (several segments may
     * share one uploaded file), holding sequence numbers {@code [fromSequence, toSequence)}.
     */
    public record Segment(StreamStateHandle stream, long offset, long length, long fromSequence, long toSequence) {
        /**
         * Checks the segment against its stream.
         *
         * @param stream the uploaded file
         * @param offset where the segment starts in it
         * @param length the segment's length in bytes
         * @param fromSequence the first sequence number it holds
         * @param toSequence one past the last sequence number it holds
         */
        public Segment {
            Objects.requireNonNull(stream, "stream");
            if (offset < 0 || length < 0 || offset + length > stream.getStateSize() || fromSequence > toSequence) {
                throw new IllegalArgumentException("Invalid changelog segment: offset " + offset + ", length " + length
                        + " of " + stream.describe() + " (" + stream.getStateSize() + " bytes), sequence "
                        + fromSequence + ".." + toSequence);
            }
        }
    }

    /**
     * Copies the lists.
     *
     * @param keyGroupRange the key groups the handle covers
     * @param materialized the wrapped backend's snapshot
     * @param materializationId which materialization {@code materialized} is
     * @param changes the change segments since that materialization
     * @param checkpointedSize bytes this checkpoint uploaded itself
     * @param legacyKeyGroupHash whether the changes were recorded with Cairn's earlier key-group hash
     */
    public ChangelogStateBackendHandle {
        Objects.requireNonNull(keyGroupRange, "keyGroupRange");
        materialized = List.copyOf(materialized);
        changes = List.copyOf(changes);
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    /** The materialized part restricted to {@code range} (the segments stay whole; replay filters records). */
    @Override
    public KeyedStateHandle getIntersection(KeyGroupRange range) {
        if (legacyKeyGroupHash) {
            return this; // the keys of any restored key group may be anywhere in it
        }
        KeyGroupRange overlap = keyGroupRange.intersection(range);
        if (overlap.isEmpty()) {
            return null;
        }
        List<KeyedStateHandle> clipped = new ArrayList<>();
        for (KeyedStateHandle handle : materialized) {
            KeyedStateHandle part = handle.getIntersection(range);
            if (part != null) {
                clipped.add(part);
            }
        }
        return new ChangelogStateBackendHandle(overlap, clipped, materializationId, changes, checkpointedSize);
    }

    @Override
    public long getCheckpointedSize() {
        return checkpointedSize;
    }

    /** The materialized snapshot's streams and the changelog files (each once, though segments share files). */
    @Override
    public List<StreamStateHandle> getStreams() {
        Set<StreamStateHandle> streams = new LinkedHashSet<>();
        materialized.forEach(handle -> streams.addAll(handle.getStreams()));
        changes.forEach(segment -> streams.add(segment.stream()));
        return List.copyOf(streams);
    }

    /**
     * Nothing here is owned by one checkpoint alone: materialized snapshots and change segments are shared by the
     * checkpoints until the next materialization and released by the checkpoint coordinator's reference counting.
     */
    @Override
    public void discardState() throws IOException {}

    /**
     * The max parallelism and key serializer snapshot the change segments were written with, read from the first
     * segment's header (every segment starts with them); for offline tools that restore a changelog checkpoint
     * without the application's key serializer. Empty when the handle has no changes.
     *
     * @param classLoader loads the serializer snapshot's class
     * @return the recorded max parallelism and key serializer snapshot, if there is a segment
     * @throws IOException when the segment cannot be read
     * @throws dev.cairn.state.CorruptCheckpointException when the segment does not start with its keys
     */
    public java.util.Optional<RecordedKeys> recordedKeys(ClassLoader classLoader) throws IOException {
        if (changes.isEmpty()) {
            return java.util.Optional.empty();
        }
        var keys = dev.cairn.changelog.internal.ChangelogReplay.recordedKeys(changes.get(0), classLoader);
        return java.util.Optional.of(new RecordedKeys(keys.numberOfKeyGroups(), keys.keySerializer()));
    }

    /**
     * What change segments record about their keys.
     *
     * @param numberOfKeyGroups the max parallelism the changes were written with
     * @param keySerializer the snapshot of the key serializer that wrote the keys
     */
    public record RecordedKeys(int numberOfKeyGroups, dev.cairn.state.TypeSerializerSnapshot<?> keySerializer) {}
}

package dev.cairn.checkpoint;

import dev.cairn.state.CorruptCheckpointException;
import java.util.List;

/**
 * What a scan of a job's checkpoint directory found: the completed checkpoints that can be read, oldest first,
 * and the ones whose {@code _metadata} fails verification. Cairn never deletes an unreadable checkpoint, and
 * never restores an older one in its place without being told to.
 */
public record CheckpointScan(List<CompletedCheckpoint> completed, List<Unreadable> unreadable) {

    /** A checkpoint directory with a {@code _metadata} file that cannot be read or fails verification. */
    public record Unreadable(long checkpointId, String pointer, CorruptCheckpointException error) {}

    /**
     * Copies the lists.
     *
     * @param completed the readable completed checkpoints, oldest first
     * @param unreadable the checkpoints whose metadata fails verification
     */
    public CheckpointScan {
        completed = List.copyOf(completed);
        unreadable = List.copyOf(unreadable);
    }

    /** {@return the completed checkpoints; the first unreadable one's error if there is any} */
    public List<CompletedCheckpoint> completedOrThrow() {
        if (!unreadable.isEmpty()) {
            throw unreadable.get(0).error();
        }
        return completed;
    }
}

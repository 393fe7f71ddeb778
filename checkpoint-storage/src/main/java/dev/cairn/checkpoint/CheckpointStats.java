package dev.cairn.checkpoint;

/**
 * Figures of one completed checkpoint or savepoint.
 *
 * @param checkpointId its id
 * @param savepoint whether it is a savepoint
 * @param durationMillis from trigger to durable metadata
 * @param syncPauseMicros how long the triggering (task) thread was blocked by the synchronous parts
 * @param stateSize bytes of state, inline and in files, including files reused from earlier checkpoints
 * @param checkpointedSize bytes this checkpoint added: for incremental checkpoints only the new files (the delta),
 *     otherwise the same as {@code stateSize}
 * @param files number of state files written
 * @param pointer where it is (directory or in-memory name)
 */
public record CheckpointStats(
        long checkpointId,
        boolean savepoint,
        long durationMillis,
        long syncPauseMicros,
        long stateSize,
        long checkpointedSize,
        int files,
        String pointer) {}

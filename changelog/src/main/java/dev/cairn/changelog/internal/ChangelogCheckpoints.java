package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.InFlightSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;

/**
 * Assembles a changelog backend's checkpoints — the materialization they include plus the change segments since —
 * and confirms materializations when checkpoints complete.
 *
 * <p><b>Design.</b> The synchronous part seals the writer's buffer and notes the materialization (O(1)); the
 * asynchronous part uploads the segments not uploaded yet and returns a {@link ChangelogStateBackendHandle}.
 * Segments are shared by later checkpoints and a materialization by other checkpoints, so a cancelled checkpoint
 * has nothing of its own to delete. Which materialization each pending checkpoint includes is remembered until it
 * completes or is aborted; the first completed checkpoint that includes a materialization confirms it, after which
 * the changelog before it can be truncated.
 */
final class ChangelogCheckpoints {
    private final ChangelogWriter writer;
    private final MaterializationManager materializations;
    private final KeyGroupRange keyGroupRange;
    private final InFlightSnapshots inFlight;
    /** Restored: checkpoints must include a materialization of this backend (not the restored files). */
    private final boolean restored;
    /** Checkpoint id → the {@link Materialization} it includes, or the future of the one it waits for. */
    private final TreeMap<Long, Object> pending = new TreeMap<>();

    ChangelogCheckpoints(
            ChangelogWriter writer,
            MaterializationManager materializations,
            KeyGroupRange keyGroupRange,
            InFlightSnapshots inFlight,
            boolean restored) {
        this.writer = writer;
        this.materializations = materializations;
        this.keyGroupRange = keyGroupRange;
        this.inFlight = inFlight;
        this.restored = restored;
    }

    /** Takes checkpoint {@code checkpointId}: the synchronous part now, the returned future uploads. */
    RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot(long checkpointId, String operator) {
        MaterializationManager.Included included;
        try {
            included = materializations.forCheckpoint(restored);
        } catch (IllegalStateException e) {
            throw new CheckpointException(
                    CheckpointException.Reason.SNAPSHOT_FAILED,
                    "The changelog backend of '" + operator + "' " + e.getMessage());
        }
        synchronized (this) {
            pending.put(checkpointId, included.awaited() != null ? included.awaited() : included.materialization());
        }
        // Segments before the materialization the checkpoint includes are neither uploaded nor referenced by it.
        List<ChangelogWriter.SealedSegment> captured = writer.capture(checkpointId, included.fromSequence());
        return AsyncSnapshotTask.<KeyedStateHandle>create(
                        task -> {
                            Materialization materialization = included.materialization();
                            if (included.awaited() != null) {
                                materialization = awaited(included.awaited());
                            }
                            long from = materialization != null ? materialization.sequence : 0;
                            List<ChangelogWriter.SealedSegment> needed = ChangelogWriter.from(captured, from);
                            List<ChangelogStateBackendHandle.Segment> segments =
                                    new ArrayList<>(writer.persist(needed));
                            long size = writer.newlyIncludedBytes(needed);
                            List<KeyedStateHandle> materialized = List.of();
                            long materializationId = 0;
                            if (materialization != null) {
                                materialized = materialization.handles;
                                materializationId = materialization.id;
                                size += materializations.newlyIncludedBytes(materialization);
                            }
                            task.throwIfCancelled();
                            return SnapshotResult.of(new ChangelogStateBackendHandle(
                                    keyGroupRange, materialized, materializationId, segments, size));
                        },
                        result -> {},
                        () -> {})
                .trackedBy(inFlight);
    }

    private static Materialization awaited(CompletableFuture<Materialization> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new CheckpointException(
                    CheckpointException.Reason.SNAPSHOT_FAILED,
                    "The materialization this checkpoint needs failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Checkpoint {@code checkpointId} completed (and every earlier pending one is subsumed).
     *
     * @return the materialization it confirmed just now, or {@code null}
     */
    Materialization completed(long checkpointId) {
        Materialization materialization;
        synchronized (this) {
            Object included = pending.remove(checkpointId);
            pending.headMap(checkpointId).clear();
            materialization = included instanceof CompletableFuture<?> future
                    ? (Materialization) future.getNow(null)
                    : (Materialization) included;
        }
        boolean confirmedNow = materializations.confirm(materialization);
        writer.checkpointCompleted(checkpointId);
        return confirmedNow ? materialization : null;
    }

    /** Checkpoint {@code checkpointId} was aborted: its changes stay for the next one. */
    void aborted(long checkpointId) {
        synchronized (this) {
            pending.remove(checkpointId);
        }
        writer.checkpointAborted(checkpointId);
    }
}

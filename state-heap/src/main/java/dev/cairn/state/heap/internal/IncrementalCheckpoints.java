package dev.cairn.state.heap.internal;

import dev.cairn.state.heap.IncrementalHeapStateHandle;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which incremental checkpoint of a heap backend the next one builds on: the last one known to be
 * <em>completed</em>. Checkpoints still pending may fail or be aborted, and their files with them, so a delta is
 * always taken against the last completed one and covers every change since — whatever happened to the
 * checkpoints in between (failed, aborted, subsumed before completing, or still running concurrently).
 *
 * <p>Thread-safe: snapshots start on the task thread, their asynchronous parts record what they wrote on snapshot
 * threads, and completion and abort notifications arrive on checkpointing threads.
 */
final class IncrementalCheckpoints {

    /**
     * What a written incremental checkpoint leaves for later ones.
     *
     * @param checkpointId the checkpoint
     * @param version its snapshot version: entries stamped at or above it changed after it started
     * @param removalEnds per state, per key group of the range, the removal-log position it covered
     * @param handle its chains
     */
    record Basis(long checkpointId, int version, Map<String, long[]> removalEnds, IncrementalHeapStateHandle handle) {
        /** The removal-log position of {@code state}'s map in key group index {@code index} (0 if it is new). */
        long removalEnd(String state, int index) {
            long[] ends = removalEnds.get(state);
            return ends == null ? 0 : ends[index];
        }
    }

    private Basis confirmed;
    private final TreeMap<Long, Basis> written = new TreeMap<>();
    /** Removal-log positions of checkpoints started and not yet completed or aborted: each may become a basis. */
    private final TreeMap<Long, Map<String, long[]>> started = new TreeMap<>();

    /** A checkpoint's synchronous part captured these removal-log positions. */
    synchronized void started(long checkpointId, Map<String, long[]> removalEnds) {
        started.put(checkpointId, removalEnds);
    }

    /**
     * Per key group index, the removal-log position of {@code state}'s map from which removals may still be needed:
     * the lowest of the last completed checkpoint's and those of the checkpoints that may still complete, or
     * {@code Long.MAX_VALUE} (nothing is needed: the next checkpoint is full) when there is none. Older removals
     * are pruned, so a log holds only removals since the last completed checkpoint, and nothing before the first.
     */
    synchronized long[] removalsNeededFrom(String state, int keyGroups) {
        long[] from = new long[keyGroups];
        long[] confirmedEnds =
                confirmed == null ? null : confirmed.removalEnds().get(state);
        for (int index = 0; index < keyGroups; index++) {
            from[index] = confirmed == null ? Long.MAX_VALUE : confirmedEnds == null ? 0 : confirmedEnds[index];
        }
        for (Map<String, long[]> ends : started.values()) {
            lower(from, ends.get(state));
        }
        for (Basis basis : written.values()) {
            lower(from, basis.removalEnds().get(state));
        }
        return from;
    }

    /** Lowers each position to the candidate's ({@code null}: the state is new to it, everything is needed). */
    private static void lower(long[] from, long[] candidate) {
        for (int index = 0; index < from.length; index++) {
            from[index] = Math.min(from[index], candidate == null ? 0 : candidate[index]);
        }
    }

    /**
     * A checkpoint's asynchronous part ended (written, failed or cancelled): only a written one (see
     * {@link #written}) may still become a basis.
     */
    synchronized void ended(long checkpointId) {
        started.remove(checkpointId);
    }

    /** {@return the basis of the next checkpoint, or {@code null} when it must be full} */
    synchronized Basis confirmed() {
        return confirmed;
    }

    /** A checkpoint's asynchronous part finished writing. */
    synchronized void written(Basis basis) {
        if (confirmed == null || basis.checkpointId() > confirmed.checkpointId()) {
            written.put(basis.checkpointId(), basis);
        }
    }

    /** Checkpoint {@code checkpointId} completed: later checkpoints build on it; older pending ones are dropped. */
    synchronized void completed(long checkpointId) {
        Basis basis = written.get(checkpointId);
        if (basis != null && (confirmed == null || checkpointId > confirmed.checkpointId())) {
            confirmed = basis;
        }
        written.headMap(checkpointId, true).clear();
        started.headMap(checkpointId, true).clear();
    }

    /** Checkpoint {@code checkpointId} was aborted: nothing may build on it. */
    synchronized void aborted(long checkpointId) {
        written.remove(checkpointId);
        started.remove(checkpointId);
    }
}

package dev.cairn.benchmarks;

import dev.cairn.checkpoint.CompletedCheckpoint;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-checkpoint figures the checkpoint benchmarks report next to the time (JMH prints each counter's total over
 * the measured iterations; with one checkpoint per iteration, divide by the iteration count).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CheckpointFigures {
    /** Bytes the checkpoint added (the delta for incremental and changelog checkpoints). */
    public long uploadedBytes;
    /** The full size of the state the checkpoint references. */
    public long stateBytes;
    /** How long the task thread was paused by the synchronous parts. */
    public long syncPauseMicros;

    @Setup(Level.Iteration)
    public void reset() {
        uploadedBytes = 0;
        stateBytes = 0;
        syncPauseMicros = 0;
    }

    /** Adds one completed checkpoint and its synchronous pause. */
    void add(CompletedCheckpoint checkpoint, long syncPause) {
        uploadedBytes += checkpoint.getCheckpointedSize();
        stateBytes += checkpoint.getStateSize();
        syncPauseMicros += syncPause;
    }
}

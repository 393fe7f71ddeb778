package dev.cairn.checkpoint;

import dev.cairn.state.spi.SnapshotOptions.SnapshotType;
import java.util.List;
import java.util.Objects;

/**
 * What {@code _metadata} records about a completed checkpoint or savepoint.
 *
 * @param checkpointId the checkpoint's id (savepoints take ids from the same sequence)
 * @param timestamp when it was triggered, in epoch milliseconds
 * @param type checkpoint or savepoint
 * @param operators the state of every registered operator
 */
public record CheckpointMetadata(
        long checkpointId, long timestamp, SnapshotType type, List<OperatorSnapshot> operators) {
    /** The version of the {@code _metadata} JSON written by this Cairn (2: with checksums; 1 is still read). */
    public static final int FORMAT_VERSION = 2;

    /**
     * Copies the operator list.
     *
     * @param checkpointId the checkpoint's id
     * @param timestamp when it was triggered, in epoch milliseconds
     * @param type checkpoint or savepoint
     * @param operators the state of every registered operator
     */
    public CheckpointMetadata {
        Objects.requireNonNull(type, "type");
        operators = List.copyOf(operators);
    }

    /**
     * {@return the operator's snapshot, or {@code null} if it had none}
     *
     * @param operatorId the operator's stable identifier
     */
    public OperatorSnapshot operator(String operatorId) {
        for (OperatorSnapshot operator : operators) {
            if (operator.operatorId().equals(operatorId)) {
                return operator;
            }
        }
        return null;
    }
}

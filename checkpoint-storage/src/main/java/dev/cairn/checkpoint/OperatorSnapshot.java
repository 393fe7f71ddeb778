package dev.cairn.checkpoint;

import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorStateHandle;
import java.util.List;
import java.util.Objects;

/**
 * The state one operator contributed to a checkpoint: the keyed-state and operator-state handles of all its
 * parallel instances. A restore hands all of them to every new instance, which keeps its key groups and its
 * share of the operator state.
 *
 * @param operatorId the operator's stable identifier
 * @param keyedState one handle per instance that had keyed state
 * @param operatorState one handle per instance that had operator state, in instance order
 */
public record OperatorSnapshot(
        String operatorId, List<KeyedStateHandle> keyedState, List<OperatorStateHandle> operatorState) {
    /**
     * Copies the lists.
     *
     * @param operatorId the operator's stable identifier
     * @param keyedState one handle per instance that had keyed state
     * @param operatorState one handle per instance that had operator state, in instance order
     */
    public OperatorSnapshot {
        Objects.requireNonNull(operatorId, "operatorId");
        keyedState = List.copyOf(keyedState);
        operatorState = List.copyOf(operatorState);
    }

    /**
     * An operator with keyed state only.
     *
     * @param operatorId the operator's stable identifier
     * @param keyedState one handle per instance that had keyed state
     */
    public OperatorSnapshot(String operatorId, List<KeyedStateHandle> keyedState) {
        this(operatorId, keyedState, List.of());
    }
}

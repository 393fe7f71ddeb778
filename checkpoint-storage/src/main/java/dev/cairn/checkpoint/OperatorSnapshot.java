package dev.cairn.checkpoint;

import dev.cairn.state.spi.KeyedStateHandle;
import java.util.List;
import java.util.Objects;

/**
 * The state one operator contributed to a checkpoint: the keyed-state handles of all its parallel instances.
 * A restore hands all of them to every new instance, which keeps the key groups it owns.
 *
 * @param operatorId the operator's stable identifier
 * @param keyedState one handle per instance that had state
 */
public record OperatorSnapshot(String operatorId, List<KeyedStateHandle> keyedState) {
    public OperatorSnapshot {
        Objects.requireNonNull(operatorId, "operatorId");
        keyedState = List.copyOf(keyedState);
    }
}

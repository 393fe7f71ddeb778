package dev.cairn.state.spi;

import java.util.List;
import java.util.Objects;

/**
 * What an operator state backend needs: which instance of how many, and the handles of the previous run (of any
 * parallelism) to redistribute.
 *
 * @param operatorIdentifier names the operator in errors
 * @param index this instance, 0-based
 * @param parallelism the number of instances now
 * @param restoreHandles the operator's handles from all instances of the restored checkpoint, in instance order
 * @param classLoader loads classes named in restored serializer snapshots
 */
public record OperatorBackendParameters(
        String operatorIdentifier,
        int index,
        int parallelism,
        List<OperatorStateHandle> restoreHandles,
        ClassLoader classLoader) {

    /**
     * Checks the instance index against the parallelism and copies the handles.
     *
     * @param operatorIdentifier names the operator in errors
     * @param index this instance, 0-based
     * @param parallelism the number of instances now
     * @param restoreHandles the operator's handles from all instances of the restored checkpoint, in instance order
     * @param classLoader loads classes named in restored serializer snapshots
     */
    public OperatorBackendParameters {
        Objects.requireNonNull(operatorIdentifier, "operatorIdentifier");
        if (parallelism < 1 || index < 0 || index >= parallelism) {
            throw new IllegalArgumentException(
                    "Instance " + index + " of " + parallelism + " is not valid for operator " + operatorIdentifier);
        }
        restoreHandles = List.copyOf(restoreHandles);
        Objects.requireNonNull(classLoader, "classLoader");
    }

    /**
     * A single instance with nothing to restore.
     *
     * @param operatorIdentifier the operator's name
     * @return the parameters
     */
    public static OperatorBackendParameters of(String operatorIdentifier) {
        return new OperatorBackendParameters(
                operatorIdentifier, 0, 1, List.of(), Thread.currentThread().getContextClassLoader());
    }
}

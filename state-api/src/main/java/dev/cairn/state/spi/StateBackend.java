package dev.cairn.state.spi;

/**
 * Creates the keyed state backends an application's operators use. A backend object is configuration only and
 * may be shared; each {@link #createKeyedStateBackend} call returns an independent keyed backend.
 */
public interface StateBackend {
    /**
     * Creates a keyed backend for one operator instance, restoring the given handles (if any) into its key-group
     * range.
     *
     * @throws dev.cairn.state.StateMigrationException if restored state is incompatible with the key serializer
     * @throws dev.cairn.state.CorruptCheckpointException if a restored handle fails verification
     */
    <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters);

    /**
     * Creates the operator state backend of one operator instance, redistributing restored operator state.
     * Operator state is small and kept on the heap by every backend, so the default implementation serves all.
     */
    default OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
        return DefaultOperatorStateBackend.create(parameters);
    }

    /** A short name for logs and metrics, such as {@code hashmap}. */
    String getName();
}

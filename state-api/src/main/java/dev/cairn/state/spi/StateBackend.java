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
     * @param parameters the operator instance, key serializer, key groups and handles to restore
     * @param <K> the key type
     * @return a new keyed backend, owned by the caller
     * @throws dev.cairn.state.StateMigrationException if restored state is incompatible with the key serializer
     * @throws dev.cairn.state.CorruptCheckpointException if a restored handle fails verification
     */
    <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters);

    /**
     * Creates the operator state backend of one operator instance, redistributing restored operator state.
     * Operator state is small: Cairn's backends all keep it on the heap with
     * {@code dev.cairn.state.support.DefaultOperatorStateBackend}, which a third-party backend may use too.
     *
     * @param parameters the operator instance and the operator state to restore
     * @return a new operator state backend
     */
    OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters);

    /**
     * A short name for logs and metrics, such as {@code hashmap}.
     *
     * @return the name
     */
    String getName();
}

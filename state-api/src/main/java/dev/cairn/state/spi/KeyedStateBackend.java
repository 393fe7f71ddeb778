package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.VoidNamespace;
import java.util.stream.Stream;

/**
 * Keyed state of one operator instance. All state objects it hands out read and write the value of the
 * {@linkplain #setCurrentKey current key}.
 *
 * <p><b>Threading:</b> one task thread uses a keyed backend; it is not thread-safe. Snapshots run their
 * asynchronous part elsewhere without further coordination.
 *
 * @param <K> the key type
 */
public interface KeyedStateBackend<K> extends AutoCloseable {

    /**
     * Sets the key every state access refers to until the next call.
     *
     * @throws IllegalArgumentException if the key's key group is outside {@link #getKeyGroupRange()}
     */
    void setCurrentKey(K key);

    /** The current key, or {@code null} before the first {@link #setCurrentKey}. */
    K getCurrentKey();

    /** The key group of the current key. */
    int getCurrentKeyGroupIndex();

    TypeSerializer<K> getKeySerializer();

    /** The total number of key groups (the max parallelism). */
    int getNumberOfKeyGroups();

    /** The key groups this backend owns. */
    KeyGroupRange getKeyGroupRange();

    /**
     * Returns the state for {@code descriptor}, creating it on first use, with its current namespace set to
     * {@code namespace}. The same object is returned for the same state name; calling again with another
     * namespace switches that object's namespace.
     *
     * @throws dev.cairn.state.StateMigrationException if restored state of that name has another type or an
     *     incompatible serializer
     */
    <N, S extends State> S getPartitionedState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor);

    /** {@link #getPartitionedState} with the {@link VoidNamespace}. */
    default <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
        return getPartitionedState(VoidNamespace.INSTANCE, Serializers.VOID_NAMESPACE, descriptor);
    }

    /**
     * The keys that have a value in the named state and namespace.
     *
     * <p><b>Caveats:</b> the stream is lazy; modifying that state while consuming it is undefined. Use
     * {@link #applyToAllKeys} to modify.
     */
    <N> Stream<K> getKeys(String stateName, N namespace);

    /**
     * Every (key, namespace) pair that has a value in the named state, each once (a map state's key is listed once
     * per namespace however many entries its map has); empty for an unknown name or a timer queue. Restored state
     * is listed whether or not the application registered it again.
     *
     * <p><b>Caveats:</b> as for {@link #getKeys}: modifying the state while consuming the stream is undefined.
     */
    <N> Stream<KeyAndNamespace<K, N>> getKeysAndNamespaces(String stateName);

    /**
     * Calls {@code function} for every key that has a value in the state and namespace, with the current key set
     * to it. The function may modify or clear the state. The current key is restored afterwards.
     *
     * <p><b>Caveats:</b> the keys are collected before the first call (so the function may modify the state), which
     * costs memory proportional to their number.
     */
    default <N, S extends State> void applyToAllKeys(
            N namespace,
            TypeSerializer<N> namespaceSerializer,
            StateDescriptor<S, ?> descriptor,
            KeyedStateFunction<K, S> function)
            throws Exception {
        S state = getPartitionedState(namespace, namespaceSerializer, descriptor);
        java.util.List<K> keys;
        try (Stream<K> stream = getKeys(descriptor.getName(), namespace)) {
            keys = stream.toList();
        }
        K previousKey = getCurrentKey();
        try {
            for (K key : keys) {
                setCurrentKey(key);
                function.process(key, state);
            }
        } finally {
            if (previousKey != null) {
                setCurrentKey(previousKey);
            }
        }
    }

    /**
     * The timer queue named {@code name}, created on first use (or restored from a snapshot). Timers are stored
     * in the backend and included in its snapshots; see {@link dev.cairn.state.KeyedTimerService} for the
     * service built on top.
     *
     * @throws IllegalStateException if the queue exists with another namespace serializer
     */
    <N> KeyGroupedTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer);

    /** The number of (key, namespace) entries across all states; for tests and metrics. */
    int numKeyValueStateEntries();

    /** Releases all resources; state objects must not be used afterwards. Idempotent. */
    @Override
    void close();
}

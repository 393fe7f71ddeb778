package dev.cairn.state;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The keyed state of one operator instance as application code sees it: choose the current key, then read and write
 * the states and timers of that key. Every state object it hands out reads and writes the value of the
 * {@linkplain #setCurrentKey current key}.
 *
 * <p>Snapshots, checkpoint notifications and closing belong to whoever created the store (a
 * {@code StateEnvironment}, a processing runtime), not to application code, and are not part of this interface.
 *
 * <p><b>Threading:</b> one task thread uses a store; it is not thread-safe.
 *
 * @param <K> the key type
 */
public interface KeyedStateStore<K> {

    /**
     * Sets the key every state access refers to until the next call.
     *
     * @throws IllegalArgumentException if the key's key group is outside {@link #getKeyGroupRange()}
     * @param key the key the next state accesses are for
     */
    void setCurrentKey(K key);

    /** {@return the current key, or {@code null} before the first {@link #setCurrentKey}} */
    K getCurrentKey();

    /** {@return the key groups this store owns (its part of the key space when the operator runs in parallel)} */
    KeyGroupRange getKeyGroupRange();

    /**
     * Returns the state for {@code descriptor}, creating it on first use, with its current namespace set to
     * {@code namespace}. The same object is returned for the same state name; calling again with another namespace
     * switches that object's namespace.
     *
     * @throws StateMigrationException if restored state of that name has another type or an incompatible serializer
     * @param <N> the namespace type
     * @param <S> the state type
     * @param namespace the namespace the state object works on until the next call
     * @param namespaceSerializer the serializer of the namespaces
     * @param descriptor names the state and says how to store it
     * @return the state object
     */
    <N, S extends State> S getPartitionedState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor);

    /**
     * {@link #getPartitionedState} with the {@link VoidNamespace}.
     *
     * @param <S> the state type
     * @param descriptor names the state and says how to store it
     * @return the state object, in the default namespace
     */
    default <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
        return getPartitionedState(VoidNamespace.INSTANCE, Serializers.VOID_NAMESPACE, descriptor);
    }

    /**
     * The keys that have a value in the named state and namespace.
     *
     * <p><b>Caveats:</b> the stream is lazy; modifying that state while consuming it is undefined. Use
     * {@link #applyToAllKeys} to modify.
     *
     * @param <N> the namespace type
     * @param stateName the state's name
     * @param namespace the namespace
     * @return the keys with an entry in {@code namespace}
     */
    <N> Stream<K> getKeys(String stateName, N namespace);

    /**
     * Calls {@code function} for every key that has a value in the state and namespace, with the current key set to
     * it. The function may modify or clear the state. The current key is restored afterwards.
     *
     * <p><b>Caveats:</b> the keys are collected before the first call (so the function may modify the state), which
     * costs memory proportional to their number.
     *
     * @throws Exception what {@code function} throws
     * @param <N> the namespace type
     * @param <S> the state type
     * @param namespace the namespace
     * @param namespaceSerializer the serializer of the namespaces
     * @param descriptor the state
     * @param function called once per key, with the current key set
     */
    default <N, S extends State> void applyToAllKeys(
            N namespace,
            TypeSerializer<N> namespaceSerializer,
            StateDescriptor<S, ?> descriptor,
            KeyedStateFunction<K, S> function)
            throws Exception {
        S state = getPartitionedState(namespace, namespaceSerializer, descriptor);
        List<K> keys;
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
     * The timer service named {@code name}, with the wall clock as processing time; created on first use, or
     * reattached to the timers restored from a snapshot. Timers are stored in the store's snapshots and move with
     * their key group on rescaling.
     *
     * @param name the timers' name, unique among the store's states and timer services
     * @param namespaceSerializer serializer of the timers' namespace (for example, of a window)
     * @param handler called when a timer fires, with the current key set to the timer's key
     * @param <N> the namespace type
     * @return a service bound to this store's current key
     * @throws IllegalStateException if timers of that name exist with another namespace serializer
     */
    default <N> KeyedTimerService<K, N> timerService(
            String name, TypeSerializer<N> namespaceSerializer, TimerHandler<K, N> handler) {
        return timerService(name, namespaceSerializer, handler, System::currentTimeMillis);
    }

    /**
     * As {@link #timerService(String, TypeSerializer, TimerHandler)}, with {@code processingClock} (milliseconds) as
     * processing time, so that tests can drive it.
     *
     * @param name the timers' name, unique among the store's states and timer services
     * @param namespaceSerializer serializer of the timers' namespace
     * @param handler called when a timer fires, with the current key set to the timer's key
     * @param processingClock the processing-time clock in milliseconds
     * @param <N> the namespace type
     * @return a service bound to this store's current key
     */
    <N> KeyedTimerService<K, N> timerService(
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler,
            LongSupplier processingClock);
}

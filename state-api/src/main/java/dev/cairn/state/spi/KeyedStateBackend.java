package dev.cairn.state.spi;

import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.TypeSerializer;
import java.util.function.LongSupplier;
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
public interface KeyedStateBackend<K> extends KeyedStateStore<K>, AutoCloseable {

    /**
     * The key group of the current key.
     *
     * @return the key group index
     */
    int getCurrentKeyGroupIndex();

    /**
     * The serializer of the keys, as given when the backend was created.
     *
     * @return the key serializer
     */
    TypeSerializer<K> getKeySerializer();

    /**
     * The total number of key groups (the max parallelism).
     *
     * @return the number of key groups
     */
    int getNumberOfKeyGroups();

    /**
     * Every (key, namespace) pair that has a value in the named state, each once (a map state's key is listed once
     * per namespace however many entries its map has); empty for an unknown name or a timer queue. Restored state
     * is listed whether or not the application registered it again.
     *
     * <p><b>Caveats:</b> as for {@link #getKeys}: modifying the state while consuming the stream is undefined.
     *
     * @param stateName the state
     * @param <N> the namespace type
     * @return the pairs, lazily
     */
    <N> Stream<KeyAndNamespace<K, N>> getKeysAndNamespaces(String stateName);

    /**
     * The timer queue named {@code name}, created on first use (or restored from a snapshot). Timers are stored
     * in the backend and included in its snapshots; see {@link dev.cairn.state.KeyedTimerService} for the
     * service built on top.
     *
     * @param name the queue's name, unique among the backend's states and queues
     * @param namespaceSerializer serializer of the timers' namespace
     * @param <N> the namespace type
     * @return the queue
     * @throws IllegalStateException if the queue exists with another namespace serializer
     */
    <N> KeyGroupedTimerQueue<K, N> createTimerQueue(String name, TypeSerializer<N> namespaceSerializer);

    @Override
    default <N> KeyedTimerService<K, N> timerService(
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler,
            LongSupplier processingClock) {
        return KeyedTimerService.create(this, name, namespaceSerializer, handler, processingClock);
    }

    /**
     * The number of (key, namespace) entries across all states; for tests and metrics.
     *
     * @return the number of entries
     */
    int numKeyValueStateEntries();

    /** Releases all resources; state objects must not be used afterwards. Idempotent. */
    @Override
    void close();
}

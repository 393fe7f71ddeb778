package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.KeyedStateBackend;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The application's view of a keyed backend: the {@link KeyedStateStore} methods and nothing else, so code handed a
 * store cannot take snapshots, send checkpoint notifications or close the backend — not even by a cast.
 *
 * @param <K> the key type
 */
public final class KeyedStateStoreView<K> implements KeyedStateStore<K> {
    private final KeyedStateBackend<K> backend;

    private KeyedStateStoreView(KeyedStateBackend<K> backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /**
     * A view of {@code backend}.
     *
     * @param backend the backend whose state the view reads and writes
     * @param <K> the key type
     * @return a store that delegates every call to {@code backend}
     */
    public static <K> KeyedStateStore<K> of(KeyedStateBackend<K> backend) {
        return new KeyedStateStoreView<>(backend);
    }

    @Override
    public void setCurrentKey(K key) {
        backend.setCurrentKey(key);
    }

    @Override
    public K getCurrentKey() {
        return backend.getCurrentKey();
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return backend.getKeyGroupRange();
    }

    @Override
    public <N, S extends State> S getPartitionedState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor) {
        return backend.getPartitionedState(namespace, namespaceSerializer, descriptor);
    }

    @Override
    public <N> Stream<K> getKeys(String stateName, N namespace) {
        return backend.getKeys(stateName, namespace);
    }

    @Override
    public <N> KeyedTimerService<K, N> timerService(
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler,
            LongSupplier processingClock) {
        return backend.timerService(name, namespaceSerializer, handler, processingClock);
    }

    @Override
    public String toString() {
        return "KeyedStateStore of " + backend;
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.state.MapState;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * Records puts and removals per user key; removals through iterators and {@code setValue} on entries are
 * recorded too, so no mutation path bypasses the log.
 */
public final class ChangelogMapState<N, K, V> extends AbstractChangelogState<N> implements MapState<K, V> {
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;
    private final MapState<K, V> delegate;

    @SuppressWarnings("unchecked")
    public ChangelogMapState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<K> keySerializer,
            TypeSerializer<V> valueSerializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, inner);
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.delegate = (MapState<K, V>) inner;
    }

    @Override
    public V get(K key) {
        return delegate.get(key);
    }

    @Override
    public void put(K key, V value) {
        delegate.put(key, value);
        payload();
        writeEntry(key, value);
        record(ChangeFormat.MAP_PUT);
    }

    private void writeEntry(K key, V value) {
        writeField(keySerializer, key);
        writeFlag(value == null);
        if (value != null) {
            writeField(valueSerializer, value);
        }
    }

    @Override
    public void putAll(Map<K, V> map) {
        delegate.putAll(map);
        if (map.isEmpty()) {
            return;
        }
        payload();
        writeCount(map.size());
        map.forEach(this::writeEntry);
        record(ChangeFormat.MAP_PUT_ALL);
    }

    @Override
    public void remove(K key) {
        delegate.remove(key);
        recordRemove(key);
    }

    private void recordRemove(K key) {
        payload();
        writeField(keySerializer, key);
        record(ChangeFormat.MAP_REMOVE);
    }

    @Override
    public boolean contains(K key) {
        return delegate.contains(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        return this::iterator;
    }

    @Override
    public Iterable<K> keys() {
        return () -> mapped(Map.Entry::getKey);
    }

    @Override
    public Iterable<V> values() {
        return () -> mapped(Map.Entry::getValue);
    }

    private <T> Iterator<T> mapped(Function<Map.Entry<K, V>, T> part) {
        Iterator<Map.Entry<K, V>> entries = iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public T next() {
                return part.apply(entries.next());
            }

            @Override
            public void remove() {
                entries.remove();
            }
        };
    }

    /** Entries are copies whose {@code setValue} is a recorded {@link #put}; {@code remove} is recorded too. */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        Iterator<Map.Entry<K, V>> entries = delegate.iterator();
        return new Iterator<>() {
            private K lastKey;

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                Map.Entry<K, V> entry = entries.next();
                lastKey = entry.getKey();
                return new AbstractMap.SimpleEntry<>(entry.getKey(), entry.getValue()) {
                    @Override
                    public V setValue(V value) {
                        put(getKey(), value);
                        return super.setValue(value);
                    }
                };
            }

            @Override
            public void remove() {
                entries.remove();
                recordRemove(lastKey);
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return delegate.isEmpty();
    }
}

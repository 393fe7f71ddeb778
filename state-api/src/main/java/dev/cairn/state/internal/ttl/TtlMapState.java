package dev.cairn.state.internal.ttl;

import dev.cairn.state.MapState;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.support.TtlValue;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link MapState} with TTL per entry, Flink's rules: a read of an expired entry (by key or while iterating)
 * removes it, and returns it only with return-expired visibility; entries read while unexpired are refreshed with
 * update on read. Iteration is lazy. Two deliberate differences from Flink: {@link Map.Entry#setValue} on an
 * iterated entry writes through (with a new timestamp), and {@link #isEmpty()} is {@code true} when no entry is
 * visible (Flink counts expired entries until they are cleaned up).
 */
public final class TtlMapState<N, K, V> implements MapState<K, V>, InternalKvState<N> {
    private final TtlInternal<N, MapState<K, TtlValue<V>>> internal;
    private final TtlContext ttl;

    public TtlMapState(Object internal, TtlContext ttl) {
        this.internal = new TtlInternal<>(internal);
        this.ttl = ttl;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        internal.kv().setCurrentNamespace(namespace);
    }

    private TtlValue<V> visible(K key) {
        ttl.accessed();
        MapState<K, TtlValue<V>> state = internal.state();
        return ttl.checkOnRead(state.get(key), () -> state.remove(key), refreshed -> state.put(key, refreshed));
    }

    @Override
    public V get(K key) {
        TtlValue<V> value = visible(key);
        return value == null ? null : value.userValue();
    }

    @Override
    public boolean contains(K key) {
        return visible(key) != null;
    }

    @Override
    public void put(K key, V value) {
        ttl.accessed();
        internal.state().put(key, ttl.wrap(value));
    }

    @Override
    public void putAll(Map<K, V> map) {
        ttl.accessed();
        Objects.requireNonNull(map, "MapState.putAll does not accept a null map");
        long now = ttl.now();
        Map<K, TtlValue<V>> wrapped = new HashMap<>();
        map.forEach((k, v) -> wrapped.put(k, new TtlValue<>(v, now)));
        internal.state().putAll(wrapped);
    }

    @Override
    public void remove(K key) {
        ttl.accessed();
        internal.state().remove(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        ttl.accessed();
        return () -> new VisibleEntries<>(Function.identity());
    }

    @Override
    public Iterable<K> keys() {
        ttl.accessed();
        return () -> new VisibleEntries<>(Map.Entry::getKey);
    }

    @Override
    public Iterable<V> values() {
        ttl.accessed();
        return () -> new VisibleEntries<>(Map.Entry::getValue);
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        ttl.accessed();
        return new VisibleEntries<>(Function.identity());
    }

    @Override
    public boolean isEmpty() {
        ttl.accessed();
        return !new VisibleEntries<>(Function.identity()).hasNext();
    }

    @Override
    public void clear() {
        internal.state().clear();
    }

    /**
     * Walks the stored entries, removing expired ones as it meets them. {@link #remove()} is allowed right after
     * {@link #next()} only: {@link #hasNext()} may already have moved the stored iterator on. Removing an expired
     * entry that was returned (return-expired visibility) does nothing more: reading it removed it already (Flink's
     * iterator throws here).
     */
    private final class VisibleEntries<R> implements Iterator<R> {
        private final Iterator<Map.Entry<K, TtlValue<V>>> stored =
                internal.state().iterator();
        private final Function<Map.Entry<K, V>, R> project;
        private Map.Entry<K, V> next;
        private boolean nextAlreadyRemoved;
        private boolean removable;
        private boolean removedByRead;

        VisibleEntries(Function<Map.Entry<K, V>, R> project) {
            this.project = project;
        }

        @Override
        public boolean hasNext() {
            removable = false;
            MapState<K, TtlValue<V>> state = internal.state();
            while (next == null && stored.hasNext()) {
                Map.Entry<K, TtlValue<V>> entry = stored.next();
                K key = entry.getKey();
                boolean[] removed = {false};
                TtlValue<V> value = ttl.checkOnRead(
                        entry.getValue(),
                        () -> {
                            stored.remove();
                            removed[0] = true;
                        },
                        refreshed -> state.put(key, refreshed));
                if (value != null) {
                    next = new WriteThroughEntry(key, value.userValue());
                    nextAlreadyRemoved = removed[0];
                }
            }
            return next != null;
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            R result = project.apply(next);
            next = null;
            removable = true;
            removedByRead = nextAlreadyRemoved;
            return result;
        }

        @Override
        public void remove() {
            if (!removable) {
                throw new IllegalStateException(
                        "remove() is supported right after next() only (hasNext() may have moved on)");
            }
            removable = false;
            if (!removedByRead) {
                stored.remove();
            }
        }
    }

    /** An iterated entry whose {@link #setValue} stores the new value with a new timestamp. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            ttl.accessed();
            internal.state().put(getKey(), ttl.wrap(value));
            return super.setValue(value);
        }
    }
}

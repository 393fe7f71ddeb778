package dev.cairn.state.internal.ttl;

import dev.cairn.state.MapState;
import dev.cairn.state.spi.TtlValue;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@link MapState} with TTL per entry; expired entries are invisible and removed when met. */
public final class TtlMapState<K, V> implements MapState<K, V> {
    private final MapState<K, TtlValue<V>> internal;
    private final TtlContext ttl;

    public TtlMapState(MapState<K, TtlValue<V>> internal, TtlContext ttl) {
        this.internal = internal;
        this.ttl = ttl;
    }

    /** The entry's stored value if visible (refreshing it on read if configured), else {@code null}. */
    private TtlValue<V> visible(K key, TtlValue<V> stored) {
        if (stored == null) {
            return null;
        }
        if (ttl.expired(stored)) {
            if (ttl.returnExpired()) {
                return stored;
            }
            internal.remove(key);
            return null;
        }
        if (ttl.updateOnRead()) {
            internal.put(key, ttl.wrap(stored.userValue()));
        }
        return stored;
    }

    @Override
    public V get(K key) {
        ttl.accessed();
        TtlValue<V> value = visible(key, internal.get(key));
        return value == null ? null : value.userValue();
    }

    @Override
    public void put(K key, V value) {
        ttl.accessed();
        internal.put(key, ttl.wrap(value));
    }

    @Override
    public void putAll(Map<K, V> map) {
        ttl.accessed();
        Map<K, TtlValue<V>> wrapped = new HashMap<>();
        map.forEach((k, v) -> wrapped.put(k, ttl.wrap(v)));
        internal.putAll(wrapped);
    }

    @Override
    public void remove(K key) {
        ttl.accessed();
        internal.remove(key);
    }

    @Override
    public boolean contains(K key) {
        ttl.accessed();
        return visible(key, internal.get(key)) != null;
    }

    /** The visible entries, collected first so that expired ones can be removed safely. */
    private List<Map.Entry<K, V>> visibleEntries() {
        ttl.accessed();
        List<Map.Entry<K, TtlValue<V>>> stored = new ArrayList<>();
        internal.entries().forEach(e -> stored.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue())));
        List<Map.Entry<K, V>> result = new ArrayList<>();
        for (Map.Entry<K, TtlValue<V>> entry : stored) {
            TtlValue<V> value = visible(entry.getKey(), entry.getValue());
            if (value != null) {
                result.add(new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), value.userValue()));
            }
        }
        return result;
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        return visibleEntries();
    }

    @Override
    public Iterable<K> keys() {
        return visibleEntries().stream().map(Map.Entry::getKey).toList();
    }

    @Override
    public Iterable<V> values() {
        List<V> values = new ArrayList<>();
        visibleEntries().forEach(e -> values.add(e.getValue()));
        return values;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        Iterator<Map.Entry<K, V>> entries = visibleEntries().iterator();
        return new Iterator<>() {
            private Map.Entry<K, V> last;

            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                last = entries.next();
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() first");
                }
                internal.remove(last.getKey());
                last = null;
            }
        };
    }

    @Override
    public boolean isEmpty() {
        return visibleEntries().isEmpty();
    }

    @Override
    public void clear() {
        internal.clear();
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.MapState;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Stores a {@link HashMap} per key and namespace; an emptied map is removed so that the key disappears. */
final class HeapMapState<K, N, UK, UV> extends AbstractHeapState<K, N, Map<UK, UV>> implements MapState<UK, UV> {

    HeapMapState(HeapKeyedStateBackend<K> backend, StateTable<K, N, Map<UK, UV>> table) {
        super(backend, table);
    }

    @Override
    public UV get(UK key) {
        Map<UK, UV> map = getInternal();
        return map == null ? null : map.get(key);
    }

    @Override
    public void put(UK key, UV value) {
        Objects.requireNonNull(key, "MapState does not accept null keys");
        Map<UK, UV> map = getForUpdateInternal();
        if (map == null) {
            map = new HashMap<>();
            map.put(key, value);
            putInternal(map);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public void putAll(Map<UK, UV> entries) {
        Objects.requireNonNull(entries, "MapState.putAll does not accept a null map");
        if (entries.isEmpty()) {
            return;
        }
        for (UK key : entries.keySet()) {
            Objects.requireNonNull(key, "MapState does not accept null keys");
        }
        Map<UK, UV> map = getForUpdateInternal();
        if (map == null) {
            putInternal(new HashMap<>(entries));
        } else {
            map.putAll(entries);
        }
    }

    @Override
    public void remove(UK key) {
        Map<UK, UV> map = getForUpdateInternal();
        if (map != null) {
            map.remove(key);
            if (map.isEmpty()) {
                clear();
            }
        }
    }

    @Override
    public boolean contains(UK key) {
        Map<UK, UV> map = getInternal();
        return map != null && map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<UK, UV>> entries() {
        return () -> iterate(Function.identity());
    }

    @Override
    public Iterable<UK> keys() {
        return () -> iterate(Map.Entry::getKey);
    }

    @Override
    public Iterable<UV> values() {
        return () -> iterate(Map.Entry::getValue);
    }

    @Override
    public Iterator<Map.Entry<UK, UV>> iterator() {
        return iterate(Function.identity());
    }

    @Override
    public boolean isEmpty() {
        Map<UK, UV> map = getInternal();
        return map == null || map.isEmpty();
    }

    private <T> Iterator<T> iterate(Function<Map.Entry<UK, UV>, T> project) {
        Map<UK, UV> map = getInternal();
        if (map == null) {
            return Collections.emptyIterator();
        }
        Iterator<Map.Entry<UK, UV>> entries = map.entrySet().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public T next() {
                return project.apply(entries.next());
            }

            @Override
            public void remove() {
                getForUpdateInternal(); // counts the entry as changed; the map is already private to this view
                entries.remove();
                if (map.isEmpty()) {
                    clear();
                }
            }
        };
    }
}

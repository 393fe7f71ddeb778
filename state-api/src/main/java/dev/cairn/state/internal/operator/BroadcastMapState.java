package dev.cairn.state.internal.operator;

import dev.cairn.state.MapState;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/** A broadcast map of operator state. */
public final class BroadcastMapState<K, V> implements MapState<K, V> {
    private final Map<K, V> map = new HashMap<>();

    /** The live map, for snapshots (copied by the caller). */
    public Map<K, V> contents() {
        return map;
    }

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public void put(K key, V value) {
        map.put(Objects.requireNonNull(key, "MapState does not accept null keys"), value);
    }

    @Override
    public void putAll(Map<K, V> entries) {
        entries.keySet().forEach(k -> Objects.requireNonNull(k, "MapState does not accept null keys"));
        map.putAll(entries);
    }

    @Override
    public void remove(K key) {
        map.remove(key);
    }

    @Override
    public boolean contains(K key) {
        return map.containsKey(key);
    }

    @Override
    public Iterable<Map.Entry<K, V>> entries() {
        return map.entrySet();
    }

    @Override
    public Iterable<K> keys() {
        return map.keySet();
    }

    @Override
    public Iterable<V> values() {
        return map.values();
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return map.entrySet().iterator();
    }

    @Override
    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public void clear() {
        map.clear();
    }
}

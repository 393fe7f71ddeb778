package dev.cairn.state;

import java.util.Iterator;
import java.util.Map;

/**
 * A map per key and namespace. Map keys must not be {@code null}; map values may be.
 *
 * <p><b>Caveats:</b> modifying the map while iterating {@link #entries()}, {@link #keys()} or {@link #values()}
 * is undefined; use {@link #iterator()} and its {@code remove()} to remove while iterating.
 *
 * @param <K> the map key type
 * @param <V> the map value type
 */
public interface MapState<K, V> extends State {
    V get(K key);

    void put(K key, V value);

    void putAll(Map<K, V> map);

    void remove(K key);

    boolean contains(K key);

    Iterable<Map.Entry<K, V>> entries();

    Iterable<K> keys();

    Iterable<V> values();

    /** An iterator over the entries that supports {@link Iterator#remove()}. */
    Iterator<Map.Entry<K, V>> iterator();

    boolean isEmpty();
}

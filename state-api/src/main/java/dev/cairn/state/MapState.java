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
    /**
     * The value of a user key.
     *
     * @param key the user key
     * @return its value, or {@code null} when absent
     */
    V get(K key);

    /**
     * Sets the value of a user key.
     *
     * @param key the user key
     * @param value its new value (may be {@code null})
     */
    void put(K key, V value);

    /**
     * Sets every entry of a map.
     *
     * @param map the entries to set
     */
    void putAll(Map<K, V> map);

    /**
     * Removes a user key.
     *
     * @param key the user key
     */
    void remove(K key);

    /**
     * Whether a user key is present.
     *
     * @param key the user key
     * @return whether the map has an entry for it
     */
    boolean contains(K key);

    /** {@return the entries of the current key's map; removing through the iterator removes from the state} */
    Iterable<Map.Entry<K, V>> entries();

    /** {@return the user keys of the current key's map} */
    Iterable<K> keys();

    /** {@return the values of the current key's map} */
    Iterable<V> values();

    /** {@return an iterator over the entries that supports {@link Iterator#remove()}} */
    Iterator<Map.Entry<K, V>> iterator();

    /** {@return whether the current key's map has no entry} */
    boolean isEmpty();
}

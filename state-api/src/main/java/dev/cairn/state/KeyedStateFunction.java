package dev.cairn.state;

/**
 * A function applied to the state of every key; see {@link KeyedStateStore#applyToAllKeys}.
 *
 * @param <K> the key type
 * @param <S> the state type
 */
@FunctionalInterface
public interface KeyedStateFunction<K, S extends State> {
    /**
     * Called with the backend's current key set to {@code key}.
     *
     * @param key the current key
     * @param state the state of that key
     * @throws Exception to stop the iteration; passed to the caller
     */
    void process(K key, S state) throws Exception;
}

package dev.cairn.state.spi;

import java.util.Objects;

/**
 * A key and a namespace that together have a value in a state; see {@link KeyedStateBackend#getKeysAndNamespaces}.
 *
 * @param key the key
 * @param namespace the namespace
 * @param <K> key type
 * @param <N> namespace type
 */
public record KeyAndNamespace<K, N>(K key, N namespace) {
    /**
     * Checks that neither part is {@code null}.
     *
     * @param key the key
     * @param namespace the namespace
     */
    public KeyAndNamespace {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(namespace, "namespace");
    }
}

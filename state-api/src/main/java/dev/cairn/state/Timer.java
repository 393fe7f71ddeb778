package dev.cairn.state;

import java.util.Objects;

/**
 * A timer: fires for {@code key} in {@code namespace} at {@code timestamp}. Two timers with the same key,
 * namespace and timestamp are the same timer (registering it twice keeps one).
 *
 * @param key the key whose state the timer's callback sees
 * @param namespace the namespace (a window, or {@link VoidNamespace})
 * @param timestamp event or processing time in milliseconds
 * @param <K> key type
 * @param <N> namespace type
 */
public record Timer<K, N>(K key, N namespace, long timestamp) implements Comparable<Timer<K, N>> {
    /**
     * Checks that key and namespace are set.
     *
     * @param key the key the timer belongs to
     * @param namespace the timer's namespace
     * @param timestamp when it fires, in milliseconds
     */
    public Timer {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** Orders by timestamp only; timers with equal timestamps fire in unspecified order. */
    @Override
    public int compareTo(Timer<K, N> other) {
        return Long.compare(timestamp, other.timestamp);
    }
}

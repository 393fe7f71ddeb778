package dev.cairn.state.spi;

import dev.cairn.state.Timer;

/**
 * A backend's set of timers ordered by timestamp, partitioned by the key group of each timer's key so it is
 * snapshotted and rescaled with the keyed state. Created by {@link KeyedStateBackend#createTimerQueue}.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
public interface KeyGroupedTimerQueue<K, N> {
    /** The earliest timer, or {@code null}. */
    Timer<K, N> peek();

    /** Removes and returns the earliest timer, or {@code null}. */
    Timer<K, N> poll();

    /** Adds a timer; returns {@code false} if it was already registered (nothing changes). */
    boolean add(Timer<K, N> timer);

    /** Removes a timer; returns whether it was registered. */
    boolean remove(Timer<K, N> timer);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }
}

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
    /**
     * The earliest timer.
     *
     * @return the timer, or {@code null} when the queue is empty
     */
    Timer<K, N> peek();

    /**
     * Removes and returns the earliest timer.
     *
     * @return the timer, or {@code null} when the queue is empty
     */
    Timer<K, N> poll();

    /**
     * Adds a timer.
     *
     * @param timer the timer
     * @return {@code false} if it was already registered (nothing changes)
     */
    boolean add(Timer<K, N> timer);

    /**
     * Removes a timer.
     *
     * @param timer the timer
     * @return whether it was registered
     */
    boolean remove(Timer<K, N> timer);

    /**
     * The number of timers.
     *
     * @return the number of timers in the queue, over all its key groups
     */
    int size();

    /**
     * Whether the queue holds no timer.
     *
     * @return {@code size() == 0}
     */
    default boolean isEmpty() {
        return size() == 0;
    }
}

package dev.cairn.state;

/**
 * What a {@link KeyedTimerService} calls when timers fire. The backend's current key is the timer's key during
 * the call, so the handler reads and writes that key's state; it may register and delete timers.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
public interface TimerHandler<K, N> {
    /**
     * An event-time timer fired because the watermark reached its timestamp.
     *
     * @param timer the timer that fired, with its key as the current key
     * @throws Exception to fail the task; the timer counts as fired
     */
    void onEventTime(Timer<K, N> timer) throws Exception;

    /**
     * A processing-time timer fired because processing time reached its timestamp.
     *
     * @param timer the timer that fired, with its key as the current key
     * @throws Exception to fail the task; the timer counts as fired
     */
    default void onProcessingTime(Timer<K, N> timer) throws Exception {}
}

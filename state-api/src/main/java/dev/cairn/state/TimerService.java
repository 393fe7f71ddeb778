package dev.cairn.state;

/**
 * Registers timers for the backend's current key, as application code sees it.
 *
 * @param <N> namespace type
 */
public interface TimerService<N> {
    /** {@return the current event time (the last watermark); {@link Long#MIN_VALUE} before the first} */
    long currentWatermark();

    /** {@return the current processing time in milliseconds, as the service's clock says} */
    long currentProcessingTime();

    /**
     * Fires {@code onEventTime} for the current key once the watermark reaches {@code time}.
     *
     * @param namespace the timer's namespace
     * @param time when it fires, in event time (milliseconds)
     */
    void registerEventTimeTimer(N namespace, long time);

    /**
     * Deletes an event-time timer of the current key; nothing if there is none.
     *
     * @param namespace the timer's namespace
     * @param time when it would fire
     */
    void deleteEventTimeTimer(N namespace, long time);

    /**
     * Fires {@code onProcessingTime} for the current key once processing time reaches {@code time}.
     *
     * @param namespace the timer's namespace
     * @param time when it fires, in processing time (milliseconds)
     */
    void registerProcessingTimeTimer(N namespace, long time);

    /**
     * Deletes a processing-time timer of the current key; nothing if there is none.
     *
     * @param namespace the timer's namespace
     * @param time when it would fire
     */
    void deleteProcessingTimeTimer(N namespace, long time);
}

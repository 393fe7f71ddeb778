package dev.cairn.state;

/**
 * Registers timers for the backend's current key, as application code sees it.
 *
 * @param <N> namespace type
 */
public interface TimerService<N> {
    /** The current event time (the last watermark); {@link Long#MIN_VALUE} before the first. */
    long currentWatermark();

    /** The current processing time in milliseconds, as the service's clock says. */
    long currentProcessingTime();

    /** Fires {@code onEventTime} for the current key once the watermark reaches {@code time}. */
    void registerEventTimeTimer(N namespace, long time);

    void deleteEventTimeTimer(N namespace, long time);

    /** Fires {@code onProcessingTime} for the current key once processing time reaches {@code time}. */
    void registerProcessingTimeTimer(N namespace, long time);

    void deleteProcessingTimeTimer(N namespace, long time);
}

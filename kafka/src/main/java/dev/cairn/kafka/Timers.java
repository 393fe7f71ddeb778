package dev.cairn.kafka;

/**
 * Timers of the current key, kept in the partition's state (checkpointed and moved with it). Event-time timers fire
 * when the partition's watermark — the largest record timestamp seen, minus {@code kafka.watermark.out-of-orderness},
 * minus 1 ms — reaches them; processing-time timers when the member's clock does. A timer is registered once per key
 * and time; registering it again does nothing.
 */
public interface Timers {
    /**
     * Registers an event-time timer for the current key.
     *
     * @param time the watermark at which it fires
     */
    void registerEventTimeTimer(long time);

    /**
     * Deletes an event-time timer of the current key, if there is one.
     *
     * @param time the time it was registered for
     */
    void deleteEventTimeTimer(long time);

    /**
     * Registers a processing-time timer for the current key.
     *
     * @param time the wall-clock time (epoch milliseconds) at which it fires
     */
    void registerProcessingTimeTimer(long time);

    /**
     * Deletes a processing-time timer of the current key, if there is one.
     *
     * @param time the time it was registered for
     */
    void deleteProcessingTimeTimer(long time);

    /** {@return the partition's current watermark ({@code Long.MIN_VALUE} before its first record)} */
    long currentWatermark();

    /** {@return the member's processing time in epoch milliseconds} */
    long currentProcessingTime();
}

package dev.cairn.kafka;

/**
 * What the application does when one of its timers fires: the timer's key is the current key of the keyed state,
 * and output goes where records' output goes (in exactly-once mode, into the same transaction).
 *
 * @param <K> the key type
 * @param <OK> the output key type
 * @param <OV> the output value type
 */
@FunctionalInterface
public interface TimerProcessor<K, OK, OV> {
    /** Which clock a timer was registered on. */
    enum TimeDomain {
        /** The partition's watermark, derived from its records' timestamps. */
        EVENT_TIME,
        /** The member's wall clock. */
        PROCESSING_TIME
    }

    /**
     * Handles a fired timer.
     *
     * @param key the timer's key (also the current key of {@link ProcessingContext#getState})
     * @param timestamp the time the timer was registered for
     * @param domain the clock it was registered on
     * @param context the key's state and the output
     * @throws Exception to stop processing: the consumer fails and nothing after the last checkpoint counts
     */
    void onTimer(K key, long timestamp, TimeDomain domain, ProcessingContext<K, OK, OV> context) throws Exception;
}

package dev.cairn.state.support;

/**
 * A user value with the time it was last accessed, as TTL-enabled state stores it.
 *
 * @param userValue the value (may be {@code null} for map values)
 * @param lastAccessTimestamp milliseconds of the last write (or read, with update-on-read)
 */
public record TtlValue<T>(T userValue, long lastAccessTimestamp) {
    /**
     * {@return whether the value expired at {@code now} with time-to-live {@code ttlMillis}}
     *
     * @param ttlMillis the time to live
     * @param now the current time
     */
    public boolean isExpired(long ttlMillis, long now) {
        return isExpired(lastAccessTimestamp, ttlMillis, now);
    }

    /**
     * Whether a value last accessed at {@code lastAccessTimestamp} expired at {@code now}: its expiration time is at
     * or before {@code now}. The expiration time saturates at {@link Long#MAX_VALUE}, so a time-to-live or a
     * timestamp near it never overflows into "already expired" (as in Flink).
     *
     * @param lastAccessTimestamp when the value was last written (or read)
     * @param ttlMillis the time to live
     * @param now the current time
     * @return whether the value has expired
     */
    public static boolean isExpired(long lastAccessTimestamp, long ttlMillis, long now) {
        return expirationTimestamp(lastAccessTimestamp, ttlMillis) <= now;
    }

    /**
     * {@return {@code lastAccessTimestamp + ttlMillis}, saturated at {@link Long#MAX_VALUE}}
     *
     * @param lastAccessTimestamp when the value was last written (or read)
     * @param ttlMillis the time to live
     */
    public static long expirationTimestamp(long lastAccessTimestamp, long ttlMillis) {
        long ttlWithoutOverflow =
                lastAccessTimestamp > 0 ? Math.min(Long.MAX_VALUE - lastAccessTimestamp, ttlMillis) : ttlMillis;
        return lastAccessTimestamp + ttlWithoutOverflow;
    }
}

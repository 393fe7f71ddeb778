package dev.cairn.state.spi;

/**
 * A user value with the time it was last accessed, as TTL-enabled state stores it.
 *
 * @param userValue the value (may be {@code null} for map values)
 * @param lastAccessTimestamp milliseconds of the last write (or read, with update-on-read)
 */
public record TtlValue<T>(T userValue, long lastAccessTimestamp) {
    /** Whether the value expired at {@code now} with time-to-live {@code ttlMillis}. */
    public boolean isExpired(long ttlMillis, long now) {
        return lastAccessTimestamp + ttlMillis <= now;
    }
}

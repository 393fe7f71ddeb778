package dev.cairn.state;

/** The clock state TTL measures time with; injectable so tests control expiry without sleeping. */
@FunctionalInterface
public interface TtlTimeProvider {
    /** {@return milliseconds, as {@link System#currentTimeMillis()}} */
    long currentTimestamp();

    /** The wall clock. */
    TtlTimeProvider SYSTEM = System::currentTimeMillis;
}

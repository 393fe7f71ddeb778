package dev.cairn.state.internal.ttl;

import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.support.TtlValue;

/**
 * What every TTL decorator needs: the configuration, the clock, and the backend's cleanup hook; and the rules they
 * share, which are Flink's: an expired value met by a read is cleared (and returned only with
 * {@link StateTtlConfig.StateVisibility#ReturnExpiredIfNotCleanedUp}); a value read while unexpired gets a new
 * timestamp with {@link StateTtlConfig.UpdateType#OnReadAndWrite}.
 */
public record TtlContext(StateTtlConfig config, TtlTimeProvider time, Runnable onAccess) {

    long now() {
        return time.currentTimestamp();
    }

    long ttlMillis() {
        return config.getTtl().toMillis();
    }

    boolean expired(TtlValue<?> value) {
        return value != null && value.isExpired(ttlMillis(), now());
    }

    boolean returnExpired() {
        return config.getStateVisibility() == StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp;
    }

    boolean updateOnRead() {
        return config.getUpdateType() == StateTtlConfig.UpdateType.OnReadAndWrite;
    }

    <T> TtlValue<T> wrap(T value) {
        return new TtlValue<>(value, now());
    }

    /** The user value if it may be used: unexpired, or expired with return-expired visibility; else {@code null}. */
    <T> T unexpired(TtlValue<T> value) {
        return value == null || (!returnExpired() && expired(value)) ? null : value.userValue();
    }

    void accessed() {
        onAccess.run();
    }

    /** Reads a stored value the Flink way: clears it if expired, refreshes it on read if configured. */
    <T> TtlValue<T> checkOnRead(TtlValue<T> stored, Runnable clear, java.util.function.Consumer<TtlValue<T>> update) {
        if (stored == null) {
            return null;
        }
        if (expired(stored)) {
            clear.run();
            return returnExpired() ? stored : null;
        }
        if (updateOnRead()) {
            update.accept(wrap(stored.userValue()));
        }
        return stored;
    }
}

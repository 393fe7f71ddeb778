package dev.cairn.state.internal.ttl;

import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.spi.TtlValue;

/** What every TTL decorator needs: the configuration, the clock, and the backend's cleanup hook. */
public record TtlContext(StateTtlConfig config, TtlTimeProvider time, Runnable onAccess) {

    long now() {
        return time.currentTimestamp();
    }

    boolean expired(TtlValue<?> value) {
        return value != null && value.isExpired(config.getTtl().toMillis(), now());
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

    void accessed() {
        onAccess.run();
    }
}

package dev.cairn.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Time-to-live of keyed state values, as in Flink: a value (list element, map entry) expires {@code ttl} after
 * it was last written (or, with {@link UpdateType#OnReadAndWrite}, read). Expired values are invisible
 * ({@link StateVisibility#NeverReturnExpired}, default) or returned until cleaned up, and are removed by the
 * configured cleanup strategies. Enabled per state with {@link StateDescriptor#enableTimeToLive}.
 *
 * <pre>{@code
 * StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofHours(1))
 *         .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
 *         .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
 *         .cleanupFullSnapshot()
 *         .build();
 * }</pre>
 *
 * <p><b>Caveats:</b> time is processing time from the backend's TTL time provider
 * ({@code KeyedBackendParameters.Builder#ttlTimeProvider}). Enabling TTL on state checkpointed without it stamps
 * its values with the time of the registration; disabling it drops the timestamps (as in Flink 2.x).
 */
public final class StateTtlConfig {
    /** When the last-access timestamp is refreshed. */
    public enum UpdateType {
        /** On creation and every write. */
        OnCreateAndWrite,
        /** On creation, every write and every read. */
        OnReadAndWrite
    }

    /** Whether expired values that are not yet cleaned up can be read. */
    public enum StateVisibility {
        /** An expired value that was not cleaned up yet is still returned. */
        ReturnExpiredIfNotCleanedUp,
        /** An expired value is never returned. */
        NeverReturnExpired
    }

    /** The time TTL is measured in; only processing time is supported (as in Flink). */
    public enum TtlTimeCharacteristic {
        /** Expiry is measured in processing time ({@link TtlTimeProvider}). */
        ProcessingTime
    }

    /**
     * How expired values are removed. Background cleanup (the default) means incremental cleanup of
     * {@value #DEFAULT_INCREMENTAL_CLEANUP_SIZE} entries per state access, on both backends (RocksJava has no
     * pluggable compaction filter, so the RocksDB compaction-filter setting is kept for compatibility only).
     *
     * @param fullSnapshot drop expired values when writing full (canonical) snapshots
     * @param incrementalCleanupSize entries checked per state access on the heap backend; 0 = off
     * @param runCleanupForEveryRecord also clean on every record (heap; requires the application to report records)
     * @param rocksDbCompactFilterQueryTimeAfterNumEntries how often the RocksDB compaction filter reads the clock;
     *     0 = compaction filter off
     */
    public record CleanupStrategies(
            boolean fullSnapshot,
            int incrementalCleanupSize,
            boolean runCleanupForEveryRecord,
            long rocksDbCompactFilterQueryTimeAfterNumEntries) {}

    /** Entries checked per access by the default heap background cleanup (Flink's default). */
    public static final int DEFAULT_INCREMENTAL_CLEANUP_SIZE = 5;

    /** Flink's default for the RocksDB compaction filter. */
    public static final long DEFAULT_ROCKSDB_QUERY_TIME_AFTER_NUM_ENTRIES = 1000;

    private final Duration ttl;
    private final UpdateType updateType;
    private final StateVisibility stateVisibility;
    private final TtlTimeCharacteristic timeCharacteristic;
    private final CleanupStrategies cleanupStrategies;

    private StateTtlConfig(Builder b) {
        this.ttl = b.ttl;
        this.updateType = b.updateType;
        this.stateVisibility = b.stateVisibility;
        this.timeCharacteristic = b.timeCharacteristic;
        int incremental = b.incrementalCleanupSize >= 0
                ? b.incrementalCleanupSize
                : (b.backgroundCleanup ? DEFAULT_INCREMENTAL_CLEANUP_SIZE : 0);
        long compactFilter = b.compactFilterQueryTime >= 0
                ? b.compactFilterQueryTime
                : (b.backgroundCleanup ? DEFAULT_ROCKSDB_QUERY_TIME_AFTER_NUM_ENTRIES : 0);
        this.cleanupStrategies =
                new CleanupStrategies(b.fullSnapshot, incremental, b.runCleanupForEveryRecord, compactFilter);
    }

    /**
     * Starts a configuration with the given time-to-live (positive).
     *
     * @param ttl how long a value lives after its last update (or read)
     * @return a builder
     */
    public static Builder newBuilder(Duration ttl) {
        return new Builder(ttl);
    }

    /** {@return how long a value lives} */
    public Duration getTtl() {
        return ttl;
    }

    /** {@return which accesses restart a value's time to live} */
    public UpdateType getUpdateType() {
        return updateType;
    }

    /** {@return whether expired values that are not cleaned up yet are returned} */
    public StateVisibility getStateVisibility() {
        return stateVisibility;
    }

    /** {@return the time expiry is measured in} */
    public TtlTimeCharacteristic getTtlTimeCharacteristic() {
        return timeCharacteristic;
    }

    /** {@return when expired values are removed} */
    public CleanupStrategies getCleanupStrategies() {
        return cleanupStrategies;
    }

    @Override
    public String toString() {
        return "StateTtlConfig{ttl=" + ttl + ", " + updateType + ", " + stateVisibility + ", " + cleanupStrategies
                + "}";
    }

    /** Builds a {@link StateTtlConfig}. */
    public static final class Builder {
        private final Duration ttl;
        private UpdateType updateType = UpdateType.OnCreateAndWrite;
        private StateVisibility stateVisibility = StateVisibility.NeverReturnExpired;
        private TtlTimeCharacteristic timeCharacteristic = TtlTimeCharacteristic.ProcessingTime;
        private boolean fullSnapshot;
        private boolean backgroundCleanup = true;
        private int incrementalCleanupSize = -1;
        private boolean runCleanupForEveryRecord;
        private long compactFilterQueryTime = -1;

        private Builder(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException("The time-to-live must be positive, got " + ttl);
            }
            this.ttl = ttl;
        }

        /**
         * Sets which accesses restart a value's time to live.
         *
         * @param type the accesses
         * @return this builder
         */
        public Builder setUpdateType(UpdateType type) {
            this.updateType = Objects.requireNonNull(type);
            return this;
        }

        /** {@return this builder, with creating and writing a value restarting its time to live} */
        public Builder updateTtlOnCreateAndWrite() {
            return setUpdateType(UpdateType.OnCreateAndWrite);
        }

        /** {@return this builder, with reading, creating and writing a value restarting its time to live} */
        public Builder updateTtlOnReadAndWrite() {
            return setUpdateType(UpdateType.OnReadAndWrite);
        }

        /**
         * Sets whether expired values that are not cleaned up yet are returned.
         *
         * @param visibility the visibility
         * @return this builder
         */
        public Builder setStateVisibility(StateVisibility visibility) {
            this.stateVisibility = Objects.requireNonNull(visibility);
            return this;
        }

        /** {@return this builder, with expired values never returned} */
        public Builder neverReturnExpired() {
            return setStateVisibility(StateVisibility.NeverReturnExpired);
        }

        /** {@return this builder, with expired values returned until they are cleaned up} */
        public Builder returnExpiredIfNotCleanedUp() {
            return setStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp);
        }

        /**
         * Sets the time expiry is measured in.
         *
         * @param characteristic the time characteristic
         * @return this builder
         */
        public Builder setTtlTimeCharacteristic(TtlTimeCharacteristic characteristic) {
            this.timeCharacteristic = Objects.requireNonNull(characteristic);
            return this;
        }

        /**
         * Drop expired values when writing full snapshots (savepoints, heap checkpoints).
         *
         * @return this builder
         */
        public Builder cleanupFullSnapshot() {
            this.fullSnapshot = true;
            return this;
        }

        /**
         * Heap backend: check {@code cleanupSize} entries for expiry on every state access (and, if
         * {@code runCleanupForEveryRecord}, on every record the application reports).
         *
         * @param cleanupSize the number of entries checked per access; positive
         * @param runCleanupForEveryRecord whether to check on every record too
         * @return this builder
         */
        public Builder cleanupIncrementally(int cleanupSize, boolean runCleanupForEveryRecord) {
            if (cleanupSize <= 0) {
                throw new IllegalArgumentException("The incremental cleanup size must be positive, got " + cleanupSize);
            }
            this.incrementalCleanupSize = cleanupSize;
            this.runCleanupForEveryRecord = runCleanupForEveryRecord;
            return this;
        }

        /**
         * Flink's RocksDB compaction-filter cleanup. Accepted for configuration compatibility; vanilla RocksJava
         * cannot run a Java compaction filter, so the RocksDB backend cleans incrementally instead.
         *
         * @param queryTimeAfterNumEntries how often Flink's filter reads the time; positive
         * @return this builder
         */
        public Builder cleanupInRocksdbCompactFilter(long queryTimeAfterNumEntries) {
            if (queryTimeAfterNumEntries <= 0) {
                throw new IllegalArgumentException(
                        "queryTimeAfterNumEntries must be positive, got " + queryTimeAfterNumEntries);
            }
            this.compactFilterQueryTime = queryTimeAfterNumEntries;
            return this;
        }

        /**
         * No incremental or compaction-filter cleanup unless configured explicitly.
         *
         * @return this builder
         */
        public Builder disableCleanupInBackground() {
            this.backgroundCleanup = false;
            return this;
        }

        /** {@return the configuration} */
        public StateTtlConfig build() {
            return new StateTtlConfig(this);
        }
    }
}

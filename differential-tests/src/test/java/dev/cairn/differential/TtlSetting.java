package dev.cairn.differential;

/**
 * The time-to-live of every state in a run, or none. Background cleanup is off: which expired entries an
 * incremental cleanup removes at a given access depends on each implementation's iteration order (Flink walks its
 * hash tables), which is not part of the contract; the conformance suite checks that it removes them all.
 *
 * @param ttlMillis the time-to-live; 0 for no TTL
 * @param updateOnRead {@code OnReadAndWrite} instead of {@code OnCreateAndWrite}
 * @param returnExpired {@code ReturnExpiredIfNotCleanedUp} instead of {@code NeverReturnExpired}
 * @param fullSnapshotCleanup drop expired values from full snapshots
 */
record TtlSetting(long ttlMillis, boolean updateOnRead, boolean returnExpired, boolean fullSnapshotCleanup) {
    static final TtlSetting NONE = new TtlSetting(0, false, false, false);

    boolean enabled() {
        return ttlMillis > 0;
    }
}

package dev.cairn.differential;

/**
 * Every deliberate difference between Cairn and Flink 2.3's heap backend, in one place (the README lists the same).
 * The differential test allows these and nothing else: each method is either what the oracle does instead (so both
 * sides must then agree) or what the generator leaves out, with the reason.
 */
final class Deviations {
    private Deviations() {}

    /**
     * Under TTL, {@code Map.Entry.setValue} on an iterated map entry writes through in Cairn (with a new timestamp),
     * as it does without TTL on both. Flink's TTL map hands out detached entries, so the call changes nothing. The
     * oracle makes the same change with {@code put}.
     */
    static boolean oracleSetsValueWithPut(TtlSetting ttl) {
        return ttl.enabled();
    }

    /**
     * Under TTL, {@code MapState.isEmpty()} is {@code true} in Cairn when no entry is visible (and, like iterating,
     * removes expired entries it meets); Flink answers {@code false} until expired entries are cleaned up. The
     * oracle answers {@code !entries().iterator().hasNext()}, which has the same side effects.
     */
    static boolean oracleAnswersIsEmptyByIterating(TtlSetting ttl) {
        return ttl.enabled();
    }

    /**
     * A map emptied through an iterator ({@code Iterator.remove}, or TTL cleanup met while iterating) has no entry
     * left in Cairn, as after {@code remove(key)}; Flink's heap backend keeps an empty map, which
     * {@code getKeys}/{@code getKeysAndNamespaces} list and snapshots carry. The oracle clears a map that iterating
     * left empty.
     */
    static boolean oracleClearsMapsEmptiedByIteration() {
        return true;
    }

    /**
     * Under return-expired visibility, removing (through the iterator) a map entry that iterating returned although
     * it had expired: the read removed it already; Cairn's {@code remove()} then does nothing more, Flink's throws
     * {@link IllegalStateException} (its iterator removes the entry twice). The oracle ignores that exception.
     */
    static boolean oracleIgnoresRemoveOfEntryRemovedByRead(TtlSetting ttl) {
        return ttl.enabled() && ttl.returnExpired();
    }

    /**
     * Merging reducing or aggregating namespaces whose TTL values all expired leaves no entry in Cairn. Flink's heap
     * backend stores an entry whose value is {@code null}: {@code getKeys} lists it, and its snapshots fail on it
     * (the TTL serializer cannot write {@code null}). The oracle clears such an entry right after the merge.
     */
    static boolean oracleClearsNullEntriesLeftByMerges(TtlSetting ttl) {
        return ttl.enabled();
    }

    /**
     * {@code null} map values under TTL: Cairn stores and snapshots them; Flink's TTL serializer cannot write a
     * {@code null} user value, so its snapshot fails. Generated only without TTL.
     */
    static boolean nullMapValuesGenerated(TtlSetting ttl) {
        return !ttl.enabled();
    }

    /**
     * Full-snapshot TTL cleanup applies to canonical snapshots: heap checkpoints and every savepoint. Native RocksDB
     * checkpoints and changelog checkpoints (a materialization plus changes) keep expired values, as Flink's
     * incremental RocksDB checkpoints do (Flink's full RocksDB checkpoints are canonical and clean up). Generated
     * only for variants whose checkpoints are canonical.
     */
    static boolean fullSnapshotCleanupGenerated(Variant variant) {
        return variant.canonicalCheckpoints;
    }

    /**
     * Not generated, documented: {@code ReducingState.add(null)} and {@code AggregatingState.add(null)} clear the
     * state in Cairn (Flink: undefined, it hands {@code null} to the function); a {@code ValueState}'s default value
     * is returned under TTL too (Flink ignores defaults under TTL).
     */
    static final String NOT_GENERATED = "add(null), TTL defaults";
}

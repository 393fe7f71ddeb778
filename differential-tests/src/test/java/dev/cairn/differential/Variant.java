package dev.cairn.differential;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.InMemoryStateChangelogStorage;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.StateBackend;
import java.time.Duration;
import java.util.function.Supplier;

/** The Cairn backends the differential test compares with Flink's heap backend. */
enum Variant {
    HEAP(true, HashMapStateBackend::new),
    ROCKSDB(false, EmbeddedRocksDBStateBackend::new),
    ROCKSDB_INCREMENTAL(false, () -> new EmbeddedRocksDBStateBackend(true)),
    ROCKSDB_HEAP_TIMERS(false, () -> {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true);
        backend.setPriorityQueueStateType(RocksDBOptions.TimerServiceFactory.HEAP);
        return backend;
    }),
    /** A three-entry object cache: nearly every access evicts, and writes back, another entry. */
    ROCKSDB_TINY_CACHE(false, () -> {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true);
        backend.setCacheMaxEntries(3);
        return backend;
    }),
    /** An object cache that holds everything: updates reach RocksDB only when a snapshot flushes them. */
    ROCKSDB_CACHED(false, () -> {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setCacheMaxEntries(1_000_000);
        return backend;
    }),
    /** Materializes at nearly every checkpoint: restores are mostly a materialization plus a short changelog. */
    CHANGELOG_HEAP(
            false,
            () -> new ChangelogStateBackend(
                    new HashMapStateBackend(),
                    new InMemoryStateChangelogStorage(),
                    new ChangelogStateBackend.Settings(true, Duration.ofMillis(1), 3, 1 << 20))),
    /** Never materializes but after a restore: restores replay long changelogs. */
    CHANGELOG_ROCKSDB(
            false,
            () -> new ChangelogStateBackend(
                    new EmbeddedRocksDBStateBackend(true),
                    new InMemoryStateChangelogStorage(),
                    new ChangelogStateBackend.Settings(false, Duration.ofMinutes(10), 3, 512)));

    /** Whether checkpoints are full canonical snapshots (to which full-snapshot TTL cleanup applies). */
    final boolean canonicalCheckpoints;

    private final Supplier<StateBackend> factory;

    Variant(boolean canonicalCheckpoints, Supplier<StateBackend> factory) {
        this.canonicalCheckpoints = canonicalCheckpoints;
        this.factory = factory;
    }

    StateBackend create() {
        return factory.get();
    }
}

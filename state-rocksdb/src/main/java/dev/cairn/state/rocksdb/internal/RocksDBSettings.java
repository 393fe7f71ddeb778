package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.Configuration;
import dev.cairn.state.rocksdb.PredefinedOptions;
import dev.cairn.state.rocksdb.RocksDBMemoryBudget;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.rocksdb.RocksDBOptionsFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything a RocksDB keyed backend is configured with, resolved by the public backend object.
 *
 * @param localDirectories working directories (used round-robin)
 * @param timers where timers live
 * @param predefinedOptions the option profile (applied first)
 * @param configurableOptions explicitly set {@code state.backend.rocksdb.*} options (applied second)
 * @param optionsFactory applied third, may be {@code null}
 * @param memoryBudget the shared memory budget (applied last), or {@code null} when memory is not managed
 * @param nativeMetrics RocksDB properties to expose
 * @param incrementalCheckpoints whether checkpoints reuse the SST files earlier checkpoints uploaded
 * @param transferThreads threads that upload and download checkpoint files
 * @param verifyRestoredChecksums whether the files of a restored native checkpoint are checked against their
 *     block checksums before the backend uses them
 * @param cacheMaxEntries the object cache's entries ({@link RocksDBObjectCache}); 0 when it is off
 */
public record RocksDBSettings(
        List<Path> localDirectories,
        RocksDBOptions.TimerServiceFactory timers,
        PredefinedOptions predefinedOptions,
        Configuration configurableOptions,
        RocksDBOptionsFactory optionsFactory,
        RocksDBMemoryBudget memoryBudget,
        Set<String> nativeMetrics,
        boolean incrementalCheckpoints,
        int transferThreads,
        boolean verifyRestoredChecksums,
        int cacheMaxEntries) {}

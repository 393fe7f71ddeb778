package dev.cairn.config;

import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.StateRecoveryOptions;
import dev.cairn.checkpoint.fs.FileSystemFactory;
import dev.cairn.state.ConfigOption;
import dev.cairn.state.StateBackendOptions;
import dev.cairn.state.heap.HashMapStateBackendOptions;
import dev.cairn.state.rocksdb.RocksDBOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every configuration option Cairn defines, in one list: the source of {@code docs/config.md}, of unknown-key
 * warnings and of environment-variable overrides. Options live in the module that owns them; this module knows
 * every module, so it assembles the list.
 */
public final class KnownOptions {
    private KnownOptions() {}

    /** {@return all options, in documentation order} */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>();
        all.add(StateBackendOptions.STATE_BACKEND);
        all.addAll(ExecutionOptions.all());
        all.addAll(CheckpointingOptions.all());
        all.addAll(StateRecoveryOptions.all());
        all.addAll(HashMapStateBackendOptions.all());
        all.addAll(RocksDBOptions.all());
        all.addAll(StateChangelogOptions.all());
        all.addAll(KafkaOptions.all());
        // Optional modules (cairn-checkpoint-storage-s3) bring their options along with their file system.
        for (FileSystemFactory factory :
                ServiceLoader.load(FileSystemFactory.class, KnownOptions.class.getClassLoader())) {
            all.addAll(factory.options());
        }
        return Collections.unmodifiableList(all);
    }
}

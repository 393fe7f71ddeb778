package dev.cairn.state.rocksdb;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.rocksdb.internal.RocksDBKeyedStateBackend;
import dev.cairn.state.rocksdb.internal.RocksDBSettings;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.DefaultOperatorStateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps keyed state as serialized bytes in an embedded RocksDB per keyed backend: state can be larger than
 * memory, bounded only by local disk, at the cost of serialization on every access.
 *
 * <p>Memory is bounded by default: all RocksDB instances created by one backend object share a block cache and a
 * write buffer manager (a {@link RocksDBMemoryBudget}, 256mb unless {@code state.backend.rocksdb.memory.fixed-per-slot}
 * is set, or {@code fixed-per-tm} for one budget per process, or {@link #setMemoryBudget}). Options are applied
 * in Flink's order: {@link PredefinedOptions}, configuration keys, {@link RocksDBOptionsFactory}, managed memory.
 * Snapshots are always asynchronous. Checkpoints are native: the files of a RocksDB checkpoint (hard links taken in
 * the synchronous part) are uploaded in parallel ({@code state.backend.rocksdb.checkpoint.transfer.thread.num}),
 * and with incremental checkpoints ({@code new EmbeddedRocksDBStateBackend(true)},
 * {@code execution.checkpointing.incremental}) only SST files no retained checkpoint already holds are uploaded.
 * Savepoints use the canonical format (restorable into the heap backend and into any key-group range).
 *
 * <p><b>Caveats:</b> native checkpoints restore only into this backend (use a savepoint to switch backends or
 * to move timers from RocksDB to the heap); keys and values are limited to 2^31-1 bytes each; TTL cleanup relies on access and full snapshots (RocksJava
 * has no pluggable compaction filter).
 */
public final class EmbeddedRocksDBStateBackend implements StateBackend {
    /** The name under which {@code state.backend.type} selects this backend. */
    public static final String NAME = "rocksdb";

    /** The memory budget of one backend object when nothing else is configured. */
    public static final MemorySize DEFAULT_MANAGED_MEMORY = MemorySize.ofMebiBytes(256);

    private static final Map<String, RocksDBMemoryBudget> PER_PROCESS_BUDGETS = new ConcurrentHashMap<>();

    private final Boolean incremental;
    private PredefinedOptions predefinedOptions;
    private RocksDBOptionsFactory optionsFactory;
    private List<Path> localDirectories;
    private RocksDBOptions.TimerServiceFactory timerServiceFactory;
    private RocksDBMemoryBudget explicitBudget;
    private Configuration configuration = new Configuration();
    private RocksDBMemoryBudget ownBudget;

    /** With incremental checkpoints as configured ({@code execution.checkpointing.incremental}). */
    public EmbeddedRocksDBStateBackend() {
        this.incremental = null;
    }

    /**
     * With incremental checkpoints on or off, whatever the configuration says.
     *
     * @param enableIncrementalCheckpointing whether checkpoints upload only new SST files
     */
    public EmbeddedRocksDBStateBackend(boolean enableIncrementalCheckpointing) {
        this.incremental = enableIncrementalCheckpointing;
    }

    /**
     * A copy of this backend with unset settings taken from {@code config} (settings made in code win).
     *
     * @throws IllegalConfigurationException for invalid values
     * @param config the configuration
     * @param classLoader loads an options factory named by class
     * @return the configured copy
     */
    public EmbeddedRocksDBStateBackend configure(ReadableConfig config, ClassLoader classLoader) {
        Boolean incrementalFromConfig = incremental != null
                ? incremental
                : config.get(dev.cairn.state.ConfigOptions.key("execution.checkpointing.incremental")
                        .booleanType()
                        .defaultValue(false)
                        .withDeprecatedKeys("state.backend.incremental"));
        EmbeddedRocksDBStateBackend copy = new EmbeddedRocksDBStateBackend(incrementalFromConfig);
        copy.predefinedOptions =
                predefinedOptions != null ? predefinedOptions : config.get(RocksDBOptions.PREDEFINED_OPTIONS);
        copy.optionsFactory = optionsFactory != null ? optionsFactory : loadOptionsFactory(config, classLoader);
        copy.localDirectories = localDirectories != null
                ? localDirectories
                : config.getOptional(RocksDBOptions.LOCAL_DIRECTORIES)
                        .map(EmbeddedRocksDBStateBackend::parseDirectories)
                        .orElse(null);
        copy.timerServiceFactory =
                timerServiceFactory != null ? timerServiceFactory : config.get(RocksDBOptions.TIMER_SERVICE_FACTORY);
        copy.explicitBudget = explicitBudget;
        Configuration merged = new Configuration();
        for (ConfigOption<?> option : RocksDBOptions.all()) {
            copyIfSet(config, merged, option);
        }
        merged.addAll(configuration);
        copy.configuration = merged;
        copy.validate();
        return copy;
    }

    private static <T> void copyIfSet(ReadableConfig from, Configuration to, ConfigOption<T> option) {
        from.getOptional(option).ifPresent(value -> to.set(option, value));
    }

    private static List<Path> parseDirectories(String value) {
        List<Path> directories = new ArrayList<>();
        for (String part : value.split("[,;" + java.io.File.pathSeparator + "]")) {
            if (!part.isBlank()) {
                directories.add(Path.of(part.trim()));
            }
        }
        if (directories.isEmpty()) {
            throw IllegalConfigurationException.invalidValue(
                    RocksDBOptions.LOCAL_DIRECTORIES.key(), value, "one or more directories separated by ','");
        }
        return directories;
    }

    private static RocksDBOptionsFactory loadOptionsFactory(ReadableConfig config, ClassLoader classLoader) {
        String className = config.getOptional(RocksDBOptions.OPTIONS_FACTORY).orElse(null);
        if (className == null) {
            return null;
        }
        String key = RocksDBOptions.OPTIONS_FACTORY.key();
        try {
            Class<?> type = Class.forName(className, true, classLoader);
            if (!RocksDBOptionsFactory.class.isAssignableFrom(type)) {
                throw IllegalConfigurationException.invalidValue(
                        key, className, "a class implementing RocksDBOptionsFactory");
            }
            RocksDBOptionsFactory factory =
                    (RocksDBOptionsFactory) type.getDeclaredConstructor().newInstance();
            return factory instanceof ConfigurableRocksDBOptionsFactory configurable
                    ? configurable.configure(config)
                    : factory;
        } catch (ClassNotFoundException e) {
            throw IllegalConfigurationException.invalidValue(
                    key, className, "a RocksDBOptionsFactory class on the classpath (class not found)");
        } catch (ReflectiveOperationException e) {
            throw new IllegalConfigurationException(
                    "Cannot instantiate " + className + " named by '" + key
                            + "': it needs a public no-argument constructor",
                    e);
        }
    }

    private void validate() {
        RocksDBMemoryBudget.checkRatio(
                RocksDBOptions.WRITE_BUFFER_RATIO.key(), configuration.get(RocksDBOptions.WRITE_BUFFER_RATIO));
        RocksDBMemoryBudget.checkRatio(
                RocksDBOptions.HIGH_PRIORITY_POOL_RATIO.key(),
                configuration.get(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO));
        if (configuration.getOptional(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE).isPresent()
                && configuration
                        .getOptional(RocksDBOptions.FIX_PER_TM_MEMORY_SIZE)
                        .isPresent()) {
            throw new IllegalConfigurationException("Set either '" + RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE.key()
                    + "' or '" + RocksDBOptions.FIX_PER_TM_MEMORY_SIZE.key() + "', not both");
        }
        checkMemorySizes();
        checkCacheMaxEntries(configuration.get(RocksDBOptions.CACHE_MAX_ENTRIES));
        RocksDBMemoryBudget.checkObjectCacheRatio(configuration.get(RocksDBOptions.CACHE_MEMORY_RATIO));
        for (ConfigOption<Integer> positive : List.of(
                RocksDBOptions.MAX_BACKGROUND_THREADS,
                RocksDBOptions.MAX_WRITE_BUFFER_NUMBER,
                RocksDBOptions.MIN_WRITE_BUFFER_NUMBER_TO_MERGE,
                RocksDBOptions.CHECKPOINT_TRANSFER_THREAD_NUM)) {
            if (configuration.get(positive) < 1) {
                throw IllegalConfigurationException.invalidValue(
                        positive.key(), configuration.get(positive), "an integer >= 1");
            }
        }
    }

    /** The smallest managed memory budget RocksDB can work with: a cache and write buffers of a few blocks. */
    static final MemorySize MIN_MANAGED_MEMORY = MemorySize.ofMebiBytes(1);

    /**
     * Memory RocksDB would allocate must fit the machine: a value beyond its physical memory is a typo (or a unit
     * mix-up), and RocksDB would fail late or the operating system would kill the process.
     */
    private void checkMemorySizes() {
        long physical = physicalMemoryBytes();
        for (ConfigOption<MemorySize> option : List.of(
                RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE,
                RocksDBOptions.FIX_PER_TM_MEMORY_SIZE,
                RocksDBOptions.WRITE_BUFFER_SIZE,
                RocksDBOptions.BLOCK_CACHE_SIZE,
                RocksDBOptions.BLOCK_SIZE)) {
            Optional<MemorySize> value = configuration.getOptional(option);
            if (value.isPresent() && physical > 0 && value.get().getBytes() > physical) {
                throw IllegalConfigurationException.invalidValue(
                        option.key(),
                        value.get(),
                        String.format(
                                "at most this machine's physical memory (%.1f gb)", physical / (double) (1L << 30)));
            }
        }
        for (ConfigOption<MemorySize> budget :
                List.of(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, RocksDBOptions.FIX_PER_TM_MEMORY_SIZE)) {
            Optional<MemorySize> value = configuration.getOptional(budget);
            if (value.isPresent() && value.get().compareTo(MIN_MANAGED_MEMORY) < 0) {
                throw IllegalConfigurationException.invalidValue(
                        budget.key(),
                        value.get(),
                        "at least " + MIN_MANAGED_MEMORY + " (block cache and write buffers)");
            }
        }
    }

    /** Physical memory of the machine, or {@code -1} when the JVM does not say. */
    private static long physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /**
     * The option profile applied first.
     *
     * @param options the profile
     */
    public void setPredefinedOptions(PredefinedOptions options) {
        this.predefinedOptions = java.util.Objects.requireNonNull(options);
    }

    /** {@return the option profile applied first ({@code DEFAULT} unless set)} */
    public PredefinedOptions getPredefinedOptions() {
        return predefinedOptions != null ? predefinedOptions : PredefinedOptions.DEFAULT;
    }

    /**
     * An options factory, applied after the profile and configuration keys (managed memory still wins).
     *
     * @param factory the factory
     */
    public void setRocksDBOptions(RocksDBOptionsFactory factory) {
        this.optionsFactory = java.util.Objects.requireNonNull(factory);
    }

    /** {@return the options factory set in code, or {@code null}} */
    public RocksDBOptionsFactory getRocksDBOptions() {
        return optionsFactory;
    }

    /**
     * Working directories (used round-robin); default: the system temp directory.
     *
     * @param paths directory paths
     */
    public void setDbStoragePaths(String... paths) {
        List<Path> directories = new ArrayList<>();
        for (String path : paths) {
            directories.add(Path.of(path));
        }
        this.localDirectories = List.copyOf(directories);
    }

    /**
     * Timers in RocksDB (default) or on the heap.
     *
     * @param type where timers are kept
     */
    public void setPriorityQueueStateType(RocksDBOptions.TimerServiceFactory type) {
        this.timerServiceFactory = java.util.Objects.requireNonNull(type);
    }

    /**
     * Shares {@code budget} with other backends (a slot); implies managed memory.
     *
     * @param budget the shared budget
     */
    public void setMemoryBudget(RocksDBMemoryBudget budget) {
        this.explicitBudget = java.util.Objects.requireNonNull(budget);
    }

    /**
     * Switches Cairn's object cache on ({@code > 0}) or off ({@code 0}): each keyed backend keeps up to
     * {@code maxEntries} recently used {@code ValueState} and {@code MapState} entries deserialized in front of
     * RocksDB ({@link RocksDBOptions#CACHE_MAX_ENTRIES}; wins over the configuration).
     *
     * @param maxEntries the entries per keyed backend; 0 for no cache
     * @throws IllegalConfigurationException when negative
     */
    public void setCacheMaxEntries(int maxEntries) {
        checkCacheMaxEntries(maxEntries);
        configuration.set(RocksDBOptions.CACHE_MAX_ENTRIES, maxEntries);
    }

    private static void checkCacheMaxEntries(int maxEntries) {
        if (maxEntries < 0) {
            throw IllegalConfigurationException.invalidValue(
                    RocksDBOptions.CACHE_MAX_ENTRIES.key(), maxEntries, "an integer >= 0 (0 switches the cache off)");
        }
    }

    /** {@return the object cache's entries per keyed backend; 0 when it is off} */
    public int getCacheMaxEntries() {
        return configuration.get(RocksDBOptions.CACHE_MAX_ENTRIES);
    }

    /** {@return whether checkpoints are incremental (savepoints are always full and canonical)} */
    public boolean isIncrementalCheckpointsEnabled() {
        return incremental != null && incremental;
    }

    private synchronized RocksDBMemoryBudget budget() {
        if (explicitBudget != null) {
            return explicitBudget;
        }
        if (!configuration.get(RocksDBOptions.USE_MANAGED_MEMORY)) {
            return null;
        }
        double writeBufferRatio = configuration.get(RocksDBOptions.WRITE_BUFFER_RATIO);
        double highPriority = configuration.get(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO);
        double objectCaches = getCacheMaxEntries() > 0 ? configuration.get(RocksDBOptions.CACHE_MEMORY_RATIO) : 0;
        MemorySize perProcess =
                configuration.getOptional(RocksDBOptions.FIX_PER_TM_MEMORY_SIZE).orElse(null);
        if (perProcess != null) {
            return PER_PROCESS_BUDGETS.computeIfAbsent(
                    perProcess + "/" + writeBufferRatio + "/" + highPriority + "/" + objectCaches,
                    k -> new RocksDBMemoryBudget(perProcess, writeBufferRatio, highPriority, objectCaches));
        }
        if (ownBudget == null) {
            ownBudget = new RocksDBMemoryBudget(
                    configuration
                            .getOptional(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE)
                            .orElse(DEFAULT_MANAGED_MEMORY),
                    writeBufferRatio,
                    highPriority,
                    objectCaches);
        }
        return ownBudget;
    }

    private RocksDBSettings settings() {
        validate();
        // Before any RocksDB object exists: otherwise rocksdbjni loads (extracts) the library itself.
        dev.cairn.state.rocksdb.internal.RocksDBNativeLibrary.load(configuration
                .getOptional(RocksDBOptions.NATIVE_LIBRARY_DIRECTORY)
                .map(Path::of)
                .orElse(null));
        Set<String> metrics = new LinkedHashSet<>();
        for (String property : RocksDBOptions.NATIVE_METRICS) {
            if (configuration.get(RocksDBOptions.metric(property))) {
                metrics.add(property);
            }
        }
        return new RocksDBSettings(
                localDirectories != null ? localDirectories : List.of(Path.of(System.getProperty("java.io.tmpdir"))),
                timerServiceFactory != null
                        ? timerServiceFactory
                        : configuration.get(RocksDBOptions.TIMER_SERVICE_FACTORY),
                getPredefinedOptions(),
                configuration,
                optionsFactory,
                budget(),
                metrics,
                isIncrementalCheckpointsEnabled(),
                configuration.get(RocksDBOptions.CHECKPOINT_TRANSFER_THREAD_NUM),
                configuration.get(RocksDBOptions.RESTORE_VERIFY_CHECKSUMS),
                getCacheMaxEntries());
    }

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new RocksDBKeyedStateBackend<>(parameters, settings());
    }

    /** Operator state on the heap, as for every backend: {@link DefaultOperatorStateBackend}. */
    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
        return DefaultOperatorStateBackend.create(parameters);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String toString() {
        return "EmbeddedRocksDBStateBackend{" + getPredefinedOptions()
                + (isIncrementalCheckpointsEnabled() ? ", incremental" : "") + "}";
    }
}

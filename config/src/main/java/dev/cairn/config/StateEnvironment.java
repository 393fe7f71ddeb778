package dev.cairn.config;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.changelog.StateChangelogOptions;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CheckpointHistory;
import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CheckpointStorageAccess;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.OwnershipLease;
import dev.cairn.checkpoint.StateRecoveryOptions;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CheckpointedFunction;
import dev.cairn.state.Configuration;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.OperatorStateStore;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.metrics.MetricGroup;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.KeyedStateStoreView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one object an application configures its state with: backend, checkpoint storage and checkpointing, from a
 * configuration file and/or code, and the keyed backends of its operators, restored from the latest checkpoint on
 * start.
 *
 * <pre>{@code
 * StateEnvironment env = StateEnvironment.fromConfigFile(Path.of("conf/cairn.yaml"));
 * env.setStateBackend(new HashMapStateBackend());           // code overrides the file
 * env.enableCheckpointing(Duration.ofSeconds(10));
 * env.getCheckpointConfig().setCheckpointStorage("file:///var/lib/myapp/checkpoints");
 * KeyedStateStore<String> counts = env.keyedBackend("word-counter", Serializers.STRING);
 * // processing loop, on one thread: ... counts.setCurrentKey(word); ...; env.checkpointIfDue();
 * }</pre>
 *
 * <p><b>Design.</b> Settings are collected until the first {@link #keyedBackend} call starts the environment:
 * it then resolves the effective configuration (defaults &lt; file &lt; {@code CAIRN_*} environment variables &lt;
 * {@link #configure} and setters), loads backend and storage by name unless objects were set, creates the
 * {@link CheckpointCoordinator} for storage directory {@code pipeline.name}, and restores from
 * {@code execution.state-recovery.path} or else the latest completed checkpoint. Every keyed backend created
 * afterwards is restored from that checkpoint (by operator id) and registered for checkpoints. Checkpoints run
 * on the thread that calls {@link #checkpointIfDue()} or {@link #triggerCheckpoint()} — the processing thread —
 * because snapshots start synchronously on the thread that owns the backends.
 *
 * <p><b>Caveats:</b> not thread-safe; use it from the processing thread. After start, configuration setters throw.
 */
public final class StateEnvironment implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateEnvironment.class);

    private final Configuration baseConfiguration;
    private final Configuration programmatic = new Configuration();
    private final CheckpointConfig checkpointConfig = new CheckpointConfig(this);
    private final Clock clock;
    private final List<CheckpointProgressListener> listeners = new ArrayList<>();
    /** This environment's meters; reporters (the Micrometer binder) may be added at any time. */
    private final MetricRegistry metrics = new MetricRegistry();
    /** The meters of the started pipeline, tagged {@code pipeline.name}. */
    private MetricGroup pipelineMetrics = MetricGroup.noop();

    private CheckpointHistory history;
    /** Restores running now (the coordinator's, backends'): health reads it from other threads. */
    private final java.util.concurrent.atomic.AtomicInteger restoresRunning =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Set once started, read by {@link #health()} from any thread: when, and the checkpoint interval if any. */
    private volatile HealthBasis healthBasis;

    private record HealthBasis(Instant startedAt, Duration checkpointInterval) {}

    private final List<CheckpointableKeyedStateBackend<?>> backends = new ArrayList<>();
    private final List<OperatorStateBackend> operatorBackends = new ArrayList<>();
    private StateBackend stateBackend;
    /** What creates the keyed backends: the changelog backend, or the backend able to restore its checkpoints. */
    private StateBackend keyedBackends;

    private StateChangelogStorage changelogStorage;
    private ClassLoader classLoader = Thread.currentThread().getContextClassLoader();

    private Configuration effective;
    private CheckpointStorage storage;
    /** Whether {@link #storage} was created by this environment (and is closed by it). */
    private boolean ownsStorage;

    private ExecutorService snapshotThreads;
    private CheckpointCoordinator coordinator;
    private OwnershipLease lease;
    private static final Duration BUSY_WARNING_PERIOD = Duration.ofMinutes(1);
    private long lastBusyWarningMillis = Long.MIN_VALUE / 2;
    private CompletedCheckpoint restoredFrom;
    /** Whether {@link #restoredFrom} is the latest checkpoint, found on start (not a configured path). */
    private boolean restoredLatest;

    private long lastCheckpointMillis;
    private boolean closed;

    private StateEnvironment(Configuration baseConfiguration, Clock clock) {
        this.baseConfiguration = baseConfiguration;
        this.clock = clock;
    }

    /** {@return an environment with defaults plus {@code CAIRN_*} environment variables} */
    public static StateEnvironment create() {
        return create(new Configuration());
    }

    /**
     * {@return an environment from {@code configuration} plus {@code CAIRN_*} environment variables}
     *
     * @param configuration the application's configuration
     */
    public static StateEnvironment create(Configuration configuration) {
        return create(configuration, Clock.systemUTC());
    }

    /**
     * As {@link #create(Configuration)}, with a clock for the checkpoint interval (tests).
     *
     * @param configuration the application's configuration
     * @param clock the clock of the checkpoint interval
     * @return the environment
     */
    public static StateEnvironment create(Configuration configuration, Clock clock) {
        Configuration withEnvironment = ConfigLoader.applyEnvironment(configuration, System.getenv());
        ConfigLoader.warnAboutUnknownKeys(withEnvironment);
        return new StateEnvironment(withEnvironment, clock);
    }

    /**
     * {@return an environment from a YAML configuration file plus {@code CAIRN_*} environment variables}
     *
     * @param file the YAML file
     */
    public static StateEnvironment fromConfigFile(Path file) {
        return create(ConfigLoader.loadYaml(file));
    }

    void checkNotStarted() {
        if (effective != null) {
            throw new IllegalStateException("The StateEnvironment is started (a keyed backend exists): configure it"
                    + " before creating backends");
        }
    }

    Configuration programmaticConfiguration() {
        return programmatic;
    }

    /**
     * Applies configuration entries programmatically; they override the file and environment variables.
     *
     * @param configuration the entries to apply
     * @return this environment
     */
    public StateEnvironment configure(Configuration configuration) {
        checkNotStarted();
        programmatic.addAll(configuration);
        return this;
    }

    /**
     * Uses this backend object instead of {@code state.backend.type}.
     *
     * @param backend the backend
     * @return this environment
     */
    public StateEnvironment setStateBackend(StateBackend backend) {
        checkNotStarted();
        this.stateBackend = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * Periodic checkpoints every {@code interval} (checked by {@link #checkpointIfDue()}).
     *
     * @param interval time between checkpoints; positive
     * @return this environment
     */
    public StateEnvironment enableCheckpointing(Duration interval) {
        checkpointConfig.setCheckpointInterval(interval);
        return this;
    }

    /**
     * Sets {@code state.changelog.enabled}.
     *
     * @param enabled whether to wrap the backend in the changelog backend
     * @return this environment
     */
    public StateEnvironment enableChangelogStateBackend(boolean enabled) {
        checkNotStarted();
        programmatic.set(StateChangelogOptions.ENABLED, enabled);
        return this;
    }

    /**
     * Sets the class loader for factories and restored serializers (default: the thread's context loader).
     *
     * @param loader the class loader
     * @return this environment
     */
    public StateEnvironment setClassLoader(ClassLoader loader) {
        checkNotStarted();
        this.classLoader = Objects.requireNonNull(loader);
        return this;
    }

    /** {@return the checkpoint settings, for changing them in code before the first backend is created} */
    public CheckpointConfig getCheckpointConfig() {
        return checkpointConfig;
    }

    /**
     * Follows checkpoints and the restore; add before the first backend to see the restore.
     *
     * @param listener called on the coordinator's threads; must not block
     * @return this environment
     */
    public StateEnvironment addCheckpointListener(CheckpointProgressListener listener) {
        listeners.add(listener);
        if (coordinator != null) {
            coordinator.addListener(listener);
        }
        return this;
    }

    /**
     * The last {@code web.checkpoints.history} checkpoints (default 10) — running, completed and failed — with
     * their figures and min/avg/max summaries, also as JSON ({@link CheckpointHistory#toJson()}). Available before
     * the first backend is created; it fills as checkpoints run.
     *
     * @return the history of this environment's checkpoints
     * @throws IllegalConfigurationException when {@code web.checkpoints.history} is below 1
     */
    public synchronized CheckpointHistory getCheckpointHistory() {
        if (history == null) {
            Configuration configuration = effective != null ? effective : merged();
            int size = configuration.get(CheckpointingOptions.CHECKPOINT_HISTORY_SIZE);
            if (size < 1) {
                throw IllegalConfigurationException.invalidValue(
                        CheckpointingOptions.CHECKPOINT_HISTORY_SIZE.key(), String.valueOf(size), "a count >= 1");
            }
            history = new CheckpointHistory(size, clock);
        }
        return history;
    }

    /**
     * How the state is doing, from any thread:
     *
     * <ul>
     *   <li>{@code DEGRADED} while a restore runs (the checkpoint being read, or a backend restoring its state);
     *   <li>with periodic checkpoints ({@code execution.checkpointing.interval}): {@code DOWN} when no checkpoint
     *       completed for more than three intervals — since the last completion, or since the start when none did;
     *   <li>{@code DEGRADED} while the changelog's uploads hold writers back (its
     *       {@code state.changelog.dstl.dfs.upload.max-in-flight} is reached), and when the checkpoint that finished
     *       last failed;
     *   <li>{@code UP} otherwise, also when checkpointing is off or the environment has not started.
     * </ul>
     *
     * @return the verdict and its reason
     */
    public Health health() {
        if (restoresRunning.get() > 0) {
            return new Health(Health.Status.DEGRADED, "restore in progress");
        }
        HealthBasis basis = healthBasis;
        if (basis == null) {
            return new Health(Health.Status.UP, "not started");
        }
        Instant started = basis.startedAt();
        Optional<Duration> interval = Optional.ofNullable(basis.checkpointInterval());
        // Set before the health basis (a volatile write), so visible here.
        Optional<String> backPressure = changelogStorage == null ? Optional.empty() : changelogStorage.backPressure();
        if (interval.isEmpty()) {
            return backPressure
                    .map(reason -> new Health(Health.Status.DEGRADED, reason))
                    .orElseGet(() -> new Health(Health.Status.UP, "periodic checkpoints are off"));
        }
        CheckpointHistory checkpoints = getCheckpointHistory();
        Instant now = clock.instant();
        Instant since = checkpoints.lastCompletionTime().orElse(started);
        Duration without = Duration.between(since, now);
        Optional<CheckpointHistory.Entry> last = checkpoints.lastFinished();
        String lastFailure = last.filter(entry -> entry.status() == CheckpointHistory.Status.FAILED)
                .map(entry -> "checkpoint " + entry.checkpointId() + " failed: " + entry.failureCause())
                .orElse(null);
        if (without.compareTo(interval.get().multipliedBy(3)) > 0) {
            return new Health(
                    Health.Status.DOWN,
                    "no checkpoint completed for " + without.toMillis() + " ms (more than 3 intervals of "
                            + interval.get().toMillis() + " ms" + (lastFailure == null ? ")" : "); " + lastFailure));
        }
        if (backPressure.isPresent()) {
            return new Health(Health.Status.DEGRADED, backPressure.get());
        }
        if (lastFailure != null) {
            return new Health(Health.Status.DEGRADED, lastFailure);
        }
        return new Health(
                Health.Status.UP,
                last.map(entry -> "checkpoint " + entry.checkpointId() + " completed " + without.toMillis() + " ms ago")
                        .orElse("no checkpoint yet; started " + without.toMillis() + " ms ago"));
    }

    /**
     * This environment's metrics: checkpoints and restores, the changelog's uploads and materializations, and each
     * keyed backend's (RocksDB native properties and managed memory, heap state sizes), tagged with
     * {@code pipeline.name}, {@code operator.id} and {@code subtask.index}. Add a {@link
     * dev.cairn.state.metrics.MetricReporter} — such as {@code cairn-metrics-micrometer}'s binder — at any time; the
     * names are listed in {@code docs/metrics.md}. Nothing is recorded per state access.
     *
     * @return the registry, closed with the environment
     */
    public MetricRegistry getMetricRegistry() {
        return metrics;
    }

    /** {@return the effective configuration (defaults are not listed): file, environment variables and programmatic} */
    public Configuration getConfiguration() {
        return effective != null ? new Configuration(effective) : merged();
    }

    private Configuration merged() {
        return new Configuration(baseConfiguration).addAll(programmatic);
    }

    /** {@return the state backend in use (loaded from the configuration unless set)} */
    public StateBackend getStateBackend() {
        start();
        return stateBackend;
    }

    /** {@return the checkpoint storage in use} */
    public CheckpointStorage getCheckpointStorage() {
        start();
        return storage;
    }

    /** {@return the checkpoint the environment restored from on start, if any} */
    public Optional<CompletedCheckpoint> getRestoredCheckpoint() {
        start();
        return Optional.ofNullable(restoredFrom);
    }

    /** {@return the coordinator, for savepoints, retained checkpoints and listeners} */
    public CheckpointCoordinator getCheckpointCoordinator() {
        start();
        return coordinator;
    }

    /**
     * The keyed state of operator {@code operatorId} owning all key groups (parallelism 1), restored from the
     * environment's checkpoint and registered for checkpoints. The environment owns the backend behind it: it
     * snapshots it at checkpoints and closes it in {@link #close()}.
     *
     * @param <K> the key type
     * @param operatorId the operator's stable identifier
     * @param keySerializer the serializer of the keys
     * @return the operator's keyed state
     */
    public <K> KeyedStateStore<K> keyedBackend(String operatorId, TypeSerializer<K> keySerializer) {
        return keyedBackend(operatorId, keySerializer, 0, 1);
    }

    /**
     * The keyed backend of instance {@code index} of {@code parallelism} of operator {@code operatorId}: it owns
     * that instance's key groups and restores them from all instances of the checkpoint, whatever parallelism
     * it was taken with.
     *
     * @param <K> the key type
     * @param operatorId the operator's stable identifier
     * @param keySerializer the serializer of the keys
     * @param index the instance, from 0
     * @param parallelism the number of instances
     * @return the instance's keyed state
     */
    public <K> KeyedStateStore<K> keyedBackend(
            String operatorId, TypeSerializer<K> keySerializer, int index, int parallelism) {
        start();
        KeyGroupRange range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                KeyGroupRangeAssignment.DEFAULT_MAX_PARALLELISM, parallelism, index);
        KeyedBackendParameters<K> parameters = KeyedBackendParameters.builder(keySerializer)
                .operatorIdentifier(operatorId)
                .keyGroupRange(range)
                .classLoader(classLoader)
                .restoreFrom(restoredFrom == null ? List.of() : restoredFrom.getKeyedState(operatorId))
                .metricGroup(pipelineMetrics.addGroup("operator.id", operatorId).addGroup("subtask.index", "" + index))
                .build();
        CheckpointableKeyedStateBackend<K> backend;
        restoresRunning.incrementAndGet();
        try {
            backend = keyedBackends.createKeyedStateBackend(parameters);
        } catch (CorruptCheckpointException e) {
            throw refused(e);
        } finally {
            restoresRunning.decrementAndGet();
        }
        backends.add(backend);
        coordinator.registerKeyedBackend(operatorId, backend);
        return KeyedStateStoreView.of(backend);
    }

    /**
     * {@return the operator (non-keyed) state of operator {@code operatorId} (parallelism 1), restored and registered}
     *
     * @param operatorId the operator's stable identifier
     */
    public OperatorStateStore operatorStateBackend(String operatorId) {
        return operatorStateBackend(operatorId, 0, 1);
    }

    /**
     * The operator state of instance {@code index} of {@code parallelism}: restored state is redistributed from
     * all instances of the checkpoint (split, union or broadcast, per state). Create instances in index order.
     *
     * @param operatorId the operator's stable identifier
     * @param index the instance, from 0
     * @param parallelism the number of instances
     * @return the instance's operator state
     */
    public OperatorStateStore operatorStateBackend(String operatorId, int index, int parallelism) {
        return operatorStateView(createOperatorBackend(operatorId, index, parallelism));
    }

    /**
     * A backend found a file of the restored checkpoint damaged while reading it (the coordinator only checks that
     * the files are there with their lengths): for the latest checkpoint, the same refusal — naming the earlier
     * checkpoints to choose from — as for damage the coordinator finds.
     */
    private CorruptCheckpointException refused(CorruptCheckpointException damage) {
        return restoredLatest && restoredFrom != null ? coordinator.restoreRefused(restoredFrom, damage) : damage;
    }

    /** The application's view of {@code backend}: its states, not its snapshots. */
    private static OperatorStateStore operatorStateView(OperatorStateBackend backend) {
        return new OperatorStateStore() {
            @Override
            public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
                return backend.getListState(descriptor);
            }

            @Override
            public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
                return backend.getUnionListState(descriptor);
            }

            @Override
            public <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
                return backend.getBroadcastState(descriptor);
            }
        };
    }

    private OperatorStateBackend createOperatorBackend(String operatorId, int index, int parallelism) {
        start();
        OperatorStateBackend backend;
        try {
            backend = stateBackend.createOperatorStateBackend(new OperatorBackendParameters(
                    operatorId,
                    index,
                    parallelism,
                    restoredFrom == null ? List.of() : restoredFrom.getOperatorState(operatorId),
                    classLoader));
        } catch (CorruptCheckpointException e) {
            throw refused(e);
        }
        operatorBackends.add(backend);
        coordinator.registerOperatorBackend(operatorId, backend);
        return backend;
    }

    /**
     * Registers a {@link CheckpointedFunction} of operator {@code operatorId} (parallelism 1): calls its
     * {@code initializeState} now (with restored state, if any) and its {@code snapshotState} before every
     * checkpoint and savepoint, on the triggering thread.
     *
     * @param operatorId the operator's stable identifier
     * @param function the function
     * @return the function's operator state
     * @throws Exception thrown by the function's {@code initializeState}
     */
    public OperatorStateStore registerCheckpointedFunction(String operatorId, CheckpointedFunction function)
            throws Exception {
        return registerCheckpointedFunction(operatorId, function, 0, 1);
    }

    /**
     * As {@link #registerCheckpointedFunction(String, CheckpointedFunction)} for instance {@code index}.
     *
     * @param operatorId the operator's stable identifier
     * @param function the function
     * @param index the instance, from 0
     * @param parallelism the number of instances
     * @return the function's operator state
     * @throws Exception thrown by the function's {@code initializeState}
     */
    public OperatorStateStore registerCheckpointedFunction(
            String operatorId, CheckpointedFunction function, int index, int parallelism) throws Exception {
        OperatorStateBackend backend = createOperatorBackend(operatorId, index, parallelism);
        OperatorStateStore store = operatorStateView(backend);
        function.initializeState(new CheckpointedFunction.FunctionInitializationContext() {
            @Override
            public boolean isRestored() {
                return backend.isRestored();
            }

            @Override
            public OperatorStateStore getOperatorStateStore() {
                return store;
            }
        });
        coordinator.addSnapshotHook(
                (checkpointId, timestamp) -> function.snapshotState(new CheckpointedFunction.FunctionSnapshotContext() {
                    @Override
                    public long getCheckpointId() {
                        return checkpointId;
                    }

                    @Override
                    public long getCheckpointTimestamp() {
                        return timestamp;
                    }
                }));
        return store;
    }

    /**
     * Triggers a checkpoint if the configured interval has passed since the last one; call it regularly from
     * the processing thread. Returns whether one was triggered.
     *
     * @return whether a checkpoint was triggered
     */
    public boolean checkpointIfDue() {
        start();
        Optional<Duration> interval = effective.getOptional(ExecutionOptions.CHECKPOINTING_INTERVAL);
        if (interval.isEmpty()
                || clock.millis() - lastCheckpointMillis < interval.get().toMillis()) {
            return false;
        }
        if (!coordinator.canTrigger()) {
            // Due, but the previous one still runs: try again on the next call; say so at most once a minute.
            if (clock.millis() - lastBusyWarningMillis >= BUSY_WARNING_PERIOD.toMillis()) {
                lastBusyWarningMillis = clock.millis();
                LOG.warn(
                        "A checkpoint is due but {} still in progress ('{}' is {}); it starts when one finishes",
                        coordinator.getPendingCheckpoints() == 1
                                ? "one is"
                                : coordinator.getPendingCheckpoints() + " are",
                        CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS.key(),
                        effective.get(CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS));
            }
            return false;
        }
        triggerCheckpoint().exceptionally(error -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            // One line per failure; the stack trace at DEBUG (the coordinator logged the checkpoint's own).
            LOG.warn("Periodic checkpoint failed ({}); the next one is tried after the interval", cause.getMessage());
            LOG.debug("Periodic checkpoint failure", error);
            return null;
        });
        return true;
    }

    /**
     * Triggers a checkpoint now (on the calling, processing thread).
     *
     * @return the checkpoint once it is durable
     */
    public CompletableFuture<CompletedCheckpoint> triggerCheckpoint() {
        start();
        lastCheckpointMillis = clock.millis();
        return coordinator.triggerCheckpoint();
    }

    /**
     * Triggers a savepoint into {@code directory}, or {@code execution.checkpointing.savepoint-dir} if null.
     *
     * @param directory the target directory, or {@code null}
     * @return the savepoint once it is durable
     */
    public CompletableFuture<CompletedCheckpoint> triggerSavepoint(String directory) {
        start();
        return coordinator.triggerSavepoint(directory);
    }

    private void start() {
        if (closed) {
            throw new IllegalStateException("The StateEnvironment is closed");
        }
        if (effective != null) {
            return;
        }
        Configuration configuration = merged();
        Instant startedAt = clock.instant();
        configuration.getOptional(ExecutionOptions.CHECKPOINTING_INTERVAL).ifPresent(interval -> {
            if (interval.isZero() || interval.isNegative()) {
                throw IllegalConfigurationException.invalidValue(
                        ExecutionOptions.CHECKPOINTING_INTERVAL.key(), interval, "a positive duration");
            }
            String raw = configuration.toMap().get(ExecutionOptions.CHECKPOINTING_INTERVAL.key());
            if (raw != null && raw.trim().matches("\\d+") && interval.toMillis() < 10) {
                LOG.warn(
                        "'{}' is '{}' without a unit, which means {} ms: a checkpoint every few milliseconds."
                                + " Write the unit, e.g. '{} s'",
                        ExecutionOptions.CHECKPOINTING_INTERVAL.key(),
                        raw.trim(),
                        interval.toMillis(),
                        raw.trim());
            }
        });
        // Validated whether or not a recovery path is set: a typo must not wait for the day it matters.
        configuration.get(StateRecoveryOptions.CLAIM_MODE);
        StateBackend backend =
                stateBackend != null ? stateBackend : StateBackendLoader.load(configuration, classLoader);
        // A storage loaded here is this environment's: its file systems (S3 clients) are configured by this
        // configuration alone and closed with the environment. A storage object the application set stays its own.
        ownsStorage = checkpointConfig.getCheckpointStorage() == null;
        CheckpointStorage checkpointStorage = checkpointConfig.getCheckpointStorage() != null
                ? checkpointConfig.getCheckpointStorage()
                : CheckpointStorageLoader.load(configuration, classLoader);
        this.storage = checkpointStorage; // from here on closed by close(), even if starting fails
        if (checkpointConfig.getCheckpointStorage() == null
                && configuration
                        .getOptional(CheckpointingOptions.CHECKPOINT_STORAGE)
                        .isEmpty()
                && configuration
                        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                        .isEmpty()) {
            LOG.warn(
                    "No checkpoint storage is configured ('{}' or '{}'): checkpoints are kept in memory ({}) and"
                            + " lost when the process ends",
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                    CheckpointingOptions.CHECKPOINT_STORAGE.key(),
                    checkpointStorage);
        }
        // Checkpoint metadata may name changelog files under the changelog base path, and nowhere else.
        configuration.getOptional(StateChangelogOptions.BASE_PATH).ifPresent(base -> {
            try {
                checkpointStorage.acceptChangelogDirectory(StoragePath.of(base));
            } catch (IllegalArgumentException e) {
                throw IllegalConfigurationException.invalidValue(
                        StateChangelogOptions.BASE_PATH.key(), base, "a directory URI or path");
            }
        });
        CheckpointCoordinator.Settings settings = CheckpointCoordinator.Settings.fromConfig(configuration);
        boolean changelog =
                configuration.get(StateChangelogOptions.ENABLED) || backend instanceof ChangelogStateBackend;
        if (changelog && settings.maxConcurrentCheckpoints() > 1) {
            throw new IllegalConfigurationException("'" + CheckpointingOptions.MAX_CONCURRENT_CHECKPOINTS.key()
                    + "' is " + settings.maxConcurrentCheckpoints() + ", but with the changelog state backend ('"
                    + StateChangelogOptions.ENABLED.key() + "') at most one checkpoint may run at a time; set it to 1"
                    + " or disable the changelog");
        }
        String jobName = configuration.get(ExecutionOptions.PIPELINE_NAME);
        MetricGroup jobMetrics = metrics.addGroup("pipeline.name", jobName);
        if (configuration.get(StateChangelogOptions.ENABLED) && !(backend instanceof ChangelogStateBackend)) {
            changelogStorage =
                    ChangelogStateBackend.storageFromConfig(jobChangelogConfiguration(configuration, jobName));
            changelogStorage.registerMetrics(jobMetrics);
            backend = new ChangelogStateBackend(
                    backend, changelogStorage, ChangelogStateBackend.Settings.fromConfig(configuration));
        }
        // Without the changelog, checkpoints taken with it are still restored (materialization + replay).
        StateBackend creator = changelog ? backend : ChangelogStateBackend.deactivated(backend);
        ExecutorService threads = Executors.newFixedThreadPool(2, daemonThreads(jobName));
        OwnershipLease newLease = null;
        long startMillis = System.currentTimeMillis();
        try {
            CheckpointStorageAccess access = checkpointStorage.createAccess(jobName);
            // Before anything is cleaned up or restored: no other process may be writing here.
            newLease = access.acquireOwnership(
                    configuration.get(CheckpointingOptions.OWNERSHIP_LEASE_TIMEOUT), java.time.Clock.systemUTC());
            CheckpointCoordinator newCoordinator = new CheckpointCoordinator(access, settings, threads, newLease);
            listeners.forEach(newCoordinator::addListener);
            newCoordinator.addListener(getCheckpointHistory());
            newCoordinator.registerMetrics(jobMetrics, clock::millis);
            restoresRunning.incrementAndGet();
            try {
                restoredFrom = restore(newCoordinator, checkpointStorage, configuration);
                restoredLatest = configuration
                        .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                        .isEmpty();
            } finally {
                restoresRunning.decrementAndGet();
            }
            if (newLease.epoch() > 0 && changelogStorage instanceof FsStateChangelogStorage files) {
                deleteChangelogLeftovers(files, newCoordinator.getCheckpointsFoundAtStart(), restoredFrom, startMillis);
            }
            this.coordinator = newCoordinator;
        } catch (IOException e) {
            threads.shutdownNow();
            closeQuietly(newLease);
            jobMetrics.close();
            throw new UncheckedIOException(
                    "Cannot open checkpoint storage " + checkpointStorage + " (directory from '"
                            + CheckpointingOptions.CHECKPOINTS_DIRECTORY.key() + "', job subdirectory from '"
                            + ExecutionOptions.PIPELINE_NAME.key() + "'): " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            threads.shutdownNow();
            closeQuietly(newLease);
            jobMetrics.close();
            throw e;
        }
        this.lease = newLease;
        this.pipelineMetrics = jobMetrics;
        this.stateBackend = backend;
        this.keyedBackends = creator;
        this.storage = checkpointStorage;
        this.snapshotThreads = threads;
        this.effective = configuration;
        this.healthBasis = new HealthBasis(
                startedAt,
                configuration
                        .getOptional(ExecutionOptions.CHECKPOINTING_INTERVAL)
                        .orElse(null));
        this.lastCheckpointMillis = clock.millis();
        LOG.info(
                "State environment '{}': backend {}, storage {}{}",
                jobName,
                backend,
                checkpointStorage,
                restoredFrom == null ? "" : ", restored from " + restoredFrom);
    }

    private static CompletedCheckpoint restore(
            CheckpointCoordinator coordinator, CheckpointStorage storage, Configuration configuration)
            throws IOException {
        Optional<String> path = configuration.getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
        if (path.isPresent()) {
            CompletedCheckpoint checkpoint = storage.resolve(path.get());
            try (var session =
                    coordinator.restoreFrom(checkpoint, configuration.get(StateRecoveryOptions.CLAIM_MODE))) {
                return session.getCheckpoint();
            }
        }
        if (!configuration.get(StateRecoveryOptions.FROM_LATEST_CHECKPOINT)) {
            return null;
        }
        Optional<CheckpointCoordinator.RestoreSession> latest = coordinator.restoreLatest();
        if (latest.isEmpty()) {
            return null;
        }
        try (var session = latest.get()) {
            return session.getCheckpoint();
        }
    }

    /**
     * The configuration with the changelog base path narrowed to this job's subdirectory, so that the files of
     * crashed runs can be told apart from other jobs' and deleted (checkpoints may still name files anywhere under
     * the base path: earlier versions wrote there directly).
     */
    private static Configuration jobChangelogConfiguration(Configuration configuration, String jobName) {
        Optional<String> base = configuration.getOptional(StateChangelogOptions.BASE_PATH);
        if (base.isEmpty()) {
            return configuration;
        }
        StoragePath jobPath;
        try {
            jobPath = StoragePath.of(base.get()).resolve(jobName);
        } catch (IllegalArgumentException e) {
            throw IllegalConfigurationException.invalidValue(
                    StateChangelogOptions.BASE_PATH.key(), base.get(), "a directory URI or path");
        }
        return new Configuration(configuration).set(StateChangelogOptions.BASE_PATH, jobPath.toString());
    }

    /**
     * Deletes changelog files of this job that no checkpoint references and that were written before this run
     * started: segments and materializations of runs that crashed. Runs under the ownership lease, before any
     * backend writes.
     */
    private static void deleteChangelogLeftovers(
            FsStateChangelogStorage files,
            dev.cairn.checkpoint.CheckpointScan scan,
            CompletedCheckpoint restoredFrom,
            long startMillis)
            throws IOException {
        java.util.Set<StoragePath> referenced = new java.util.HashSet<>();
        if (!scan.unreadable().isEmpty()) {
            LOG.warn(
                    "Not deleting changelog files of earlier runs in {} while checkpoint(s) {} cannot be read",
                    files.getBasePath(),
                    scan.unreadable().stream()
                            .map(dev.cairn.checkpoint.CheckpointScan.Unreadable::pointer)
                            .toList());
            return;
        }
        List<CompletedCheckpoint> checkpoints = new java.util.ArrayList<>(scan.completed());
        if (restoredFrom != null) {
            checkpoints.add(restoredFrom);
        }
        for (CompletedCheckpoint checkpoint : checkpoints) {
            for (dev.cairn.checkpoint.FileStateHandle file : checkpoint.files()) {
                referenced.add(file.getPath());
            }
        }
        // A local disk shares our clock; for a remote store's clock running behind ours, a second of slack.
        boolean local = "file".equals(files.getBasePath().toUri().getScheme());
        files.deleteUnreferencedFiles(referenced, local ? startMillis : startMillis - 1_000);
    }

    private static void closeQuietly(OwnershipLease lease) {
        if (lease != null) {
            lease.close();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String jobName) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "cairn-snapshot-" + jobName + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes the keyed backends and stops checkpointing; waits briefly for running checkpoints. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (coordinator != null) {
            coordinator.close();
        }
        if (snapshotThreads != null) {
            snapshotThreads.shutdown();
            try {
                if (!snapshotThreads.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Checkpoints still running after 30 s; abandoning them");
                    snapshotThreads.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                snapshotThreads.shutdownNow();
            }
        }
        operatorBackends.forEach(OperatorStateBackend::close);
        RuntimeException failure = null;
        for (CheckpointableKeyedStateBackend<?> backend : backends) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (changelogStorage != null) {
            changelogStorage.close();
        }
        // Last: until here a running checkpoint could still complete into the directory.
        closeQuietly(lease);
        if (ownsStorage && storage != null) {
            storage.close();
        }
        metrics.close();
        if (failure != null) {
            throw new StateBackendException("Closing a keyed backend failed", failure);
        }
    }
}

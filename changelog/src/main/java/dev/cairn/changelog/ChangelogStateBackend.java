package dev.cairn.changelog;

import dev.cairn.changelog.internal.ChangelogKeyedStateBackend;
import dev.cairn.changelog.internal.ChangelogRestoreOperation;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Wraps any state backend so that checkpoints stay short and stable: every state change is recorded in a
 * changelog that is uploaded continuously, the wrapped backend is snapshotted ("materialized") in the background
 * now and then, and a checkpoint is the last materialization plus the changes since — so at checkpoint time only
 * the tail of the changelog is uploaded. {@code state.changelog.enabled: true}, or:
 *
 * <pre>{@code
 * StateBackend backend = new ChangelogStateBackend(new EmbeddedRocksDBStateBackend(), changelogStorage);
 * }</pre>
 *
 * <p>Recovery restores the materialization into the wrapped backend and replays the changes (filtered by key
 * group, so rescaling works). A job checkpointed without changelog restores with it, and one checkpointed with
 * it restores without it through {@link #deactivated(StateBackend)} (the configuration layer does that
 * automatically). Savepoints are the wrapped backend's canonical savepoints.
 *
 * <p><b>Caveats:</b> more files and more IO than the wrapped backend alone (changes are written twice: to the
 * changelog and, at materialization, in the snapshot); at most one concurrent checkpoint (the configuration layer
 * rejects more); see {@link ChangelogKeyedStateBackend} for TTL and serializer-migration notes.
 */
public final class ChangelogStateBackend implements StateBackend {

    /**
     * How the changelog backend materializes and when writers upload on their own.
     *
     * @param periodicMaterialization whether to materialize every {@code materializationInterval}
     * @param materializationInterval time between materializations
     * @param maxFailures consecutive materialization failures tolerated
     * @param preemptivePersistThreshold buffered changes of one backend beyond which they are uploaded at once
     */
    public record Settings(
            boolean periodicMaterialization,
            Duration materializationInterval,
            int maxFailures,
            long preemptivePersistThreshold) {
        /**
         * Checks the settings.
         *
         * @param periodicMaterialization whether to materialize every {@code materializationInterval}
         * @param materializationInterval time between materializations; positive
         * @param maxFailures consecutive materialization failures tolerated; not negative
         * @param preemptivePersistThreshold buffered changes of one backend beyond which they are uploaded at once; at least one byte
         */
        public Settings {
            Objects.requireNonNull(materializationInterval, "materializationInterval");
            if (materializationInterval.isNegative() || materializationInterval.isZero()) {
                throw IllegalConfigurationException.invalidValue(
                        StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL.key(),
                        materializationInterval,
                        "a positive duration");
            }
            if (maxFailures < 0) {
                throw IllegalConfigurationException.invalidValue(
                        StateChangelogOptions.MATERIALIZATION_MAX_FAILURES_ALLOWED.key(),
                        maxFailures,
                        "an integer >= 0");
            }
            if (preemptivePersistThreshold < 1) {
                throw IllegalConfigurationException.invalidValue(
                        StateChangelogOptions.PREEMPTIVE_PERSIST_THRESHOLD.key(),
                        preemptivePersistThreshold,
                        "at least one byte");
            }
        }

        /**
         * Flink's defaults: materialize every 10 minutes, 3 failures allowed, pre-emptive upload beyond 5 MB.
         *
         * @return the default settings
         */
        public static Settings defaults() {
            return fromConfig(new dev.cairn.state.Configuration());
        }

        /**
         * Reads {@code state.changelog.*}.
         *
         * @param config the configuration
         * @return the settings it names, defaults for what it leaves out
         */
        public static Settings fromConfig(ReadableConfig config) {
            return new Settings(
                    config.get(StateChangelogOptions.PERIODIC_MATERIALIZATION_ENABLED),
                    config.get(StateChangelogOptions.PERIODIC_MATERIALIZATION_INTERVAL),
                    config.get(StateChangelogOptions.MATERIALIZATION_MAX_FAILURES_ALLOWED),
                    config.get(StateChangelogOptions.PREEMPTIVE_PERSIST_THRESHOLD)
                            .getBytes());
        }
    }

    private final StateBackend delegate;
    private final StateChangelogStorage storage;
    private final Settings settings;
    private final Clock clock;
    /** Runs materializations' asynchronous parts; {@code null}: a thread of each keyed backend. */
    private final Executor materializer;

    /**
     * Wraps {@code delegate} with default settings.
     *
     * @param delegate the backend that stores the state
     * @param storage where state changes are uploaded
     */
    public ChangelogStateBackend(StateBackend delegate, StateChangelogStorage storage) {
        this(delegate, storage, Settings.defaults());
    }

    /**
     * Wraps {@code delegate}, recording changes in {@code storage}.
     *
     * @param delegate the backend that holds the state (not itself a changelog backend)
     * @param storage where changes and materializations are written
     * @param settings materialization and upload settings
     */
    public ChangelogStateBackend(StateBackend delegate, StateChangelogStorage storage, Settings settings) {
        this(delegate, storage, settings, Clock.systemUTC(), null);
    }

    private ChangelogStateBackend(
            StateBackend delegate,
            StateChangelogStorage storage,
            Settings settings,
            Clock clock,
            Executor materializer) {
        if (delegate instanceof ChangelogStateBackend) {
            throw new IllegalArgumentException("The backend is already wrapped in a changelog backend");
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.materializer = materializer;
    }

    /**
     * This backend with {@code clock} deciding when periodic materialization is due (and stamping materializations),
     * so that tests drive materialization by advancing a clock instead of waiting.
     *
     * @param clock the clock the keyed backends created afterwards read
     * @return a backend equal to this one but for the clock
     */
    public ChangelogStateBackend withClock(Clock clock) {
        return new ChangelogStateBackend(delegate, storage, settings, clock, materializer);
    }

    /**
     * This backend with materializations' asynchronous parts (writing the wrapped backend's snapshot) run by
     * {@code executor} instead of a thread of each keyed backend — {@code Runnable::run} makes them finish within
     * {@code materialize()}, so tests need not wait. The executor is not shut down by the backends.
     *
     * @param executor runs the asynchronous parts
     * @return a backend equal to this one but for the executor
     */
    public ChangelogStateBackend withMaterializationExecutor(Executor executor) {
        return new ChangelogStateBackend(delegate, storage, settings, clock, Objects.requireNonNull(executor));
    }

    /**
     * The storage {@code state.changelog.storage} names: {@link InMemoryStateChangelogStorage} or
     * {@link FsStateChangelogStorage} under {@code state.changelog.dstl.dfs.base-path}.
     *
     * @param config the configuration
     * @return the storage
     */
    public static StateChangelogStorage storageFromConfig(ReadableConfig config) {
        return switch (config.get(StateChangelogOptions.STORAGE)) {
            case memory -> new InMemoryStateChangelogStorage();
            case filesystem -> FsStateChangelogStorage.fromConfig(config);
        };
    }

    /**
     * A backend that restores checkpoints taken with the changelog enabled into {@code delegate} (restoring the
     * materialized part and replaying the changes) and then runs {@code delegate} alone: how a job switches the
     * changelog off. Handles of other kinds pass through unchanged.
     *
     * @param delegate the backend to restore into and run
     * @return the backend
     */
    public static StateBackend deactivated(StateBackend delegate) {
        return new StateBackend() {
            @Override
            public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(
                    KeyedBackendParameters<K> parameters) {
                return ChangelogRestoreOperation.restoreAndReplay(delegate, parameters, parameters.getRestoreHandles());
            }

            @Override
            public OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
                return delegate.createOperatorStateBackend(parameters);
            }

            @Override
            public String getName() {
                return delegate.getName();
            }

            @Override
            public String toString() {
                return delegate + " (restoring changelog checkpoints)";
            }
        };
    }

    /** {@return the wrapped backend} */
    public StateBackend getDelegate() {
        return delegate;
    }

    /** {@return where state changes are uploaded} */
    public StateChangelogStorage getStorage() {
        return storage;
    }

    /** {@return the materialization settings} */
    public Settings getSettings() {
        return settings;
    }

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new ChangelogKeyedStateBackend<>(parameters, delegate, storage, settings, clock, materializer);
    }

    /** Operator state is not recorded in the changelog: the wrapped backend's, snapshotted at every checkpoint. */
    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
        return delegate.createOperatorStateBackend(parameters);
    }

    @Override
    public String getName() {
        return "changelog:" + delegate.getName();
    }

    @Override
    public String toString() {
        return "ChangelogStateBackend{" + delegate + ", " + storage + "}";
    }
}

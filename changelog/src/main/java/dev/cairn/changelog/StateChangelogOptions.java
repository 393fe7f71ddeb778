package dev.cairn.changelog;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import dev.cairn.state.MemorySize;
import java.time.Duration;
import java.util.List;

/** Options of the changelog state backend and its storage (Flink's keys and defaults). */
public final class StateChangelogOptions {
    private StateChangelogOptions() {}

    /** Where change segments go. */
    public enum StorageType {
        /** In the process's memory: for tests; lost with the process. */
        memory,
        /** Files under {@code state.changelog.dstl.dfs.base-path}. */
        filesystem
    }

    /** Retry policy of changelog uploads. */
    public enum RetryPolicy {
        /** One attempt. */
        none,
        /** Up to {@code max-attempts} attempts, each bounded by {@code timeout}. */
        fixed
    }

    /** {@code state.changelog.enabled}: Wrap the state backend in the changelog state backend: state changes are uploaded continuously and a checkpoint uploads only what is not uploaded yet. */
    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("state.changelog.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Wrap the state backend in the changelog state backend: state changes are uploaded"
                    + " continuously and a checkpoint uploads only what is not uploaded yet.");

    /** {@code state.changelog.storage}: Where state changes go: 'memory' (tests; lost with the process) or 'filesystem' (state.changelog.dstl.dfs.base-path). */
    public static final ConfigOption<StorageType> STORAGE = ConfigOptions.key("state.changelog.storage")
            .enumType(StorageType.class)
            .defaultValue(StorageType.memory)
            .withDescription("Where state changes go: 'memory' (tests; lost with the process) or 'filesystem'"
                    + " (state.changelog.dstl.dfs.base-path).");

    /** {@code state.changelog.periodic-materialize.enabled}: Periodically snapshot the wrapped backend in the background and truncate the changelog up to it. */
    public static final ConfigOption<Boolean> PERIODIC_MATERIALIZATION_ENABLED = ConfigOptions.key(
                    "state.changelog.periodic-materialize.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Periodically snapshot the wrapped backend in the background and truncate the"
                    + " changelog up to it.");

    /** {@code state.changelog.periodic-materialize.interval}: Time between materializations of the wrapped backend. */
    public static final ConfigOption<Duration> PERIODIC_MATERIALIZATION_INTERVAL = ConfigOptions.key(
                    "state.changelog.periodic-materialize.interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Time between materializations of the wrapped backend.");

    /** {@code state.changelog.max-failures-allowed}: Consecutive materialization failures tolerated; one more fails the backend. */
    public static final ConfigOption<Integer> MATERIALIZATION_MAX_FAILURES_ALLOWED = ConfigOptions.key(
                    "state.changelog.max-failures-allowed")
            .intType()
            .defaultValue(3)
            .withDescription("Consecutive materialization failures tolerated; one more fails the backend.");

    /** {@code state.changelog.dstl.dfs.base-path}: Directory URI for changelog segments and materialized snapshots (filesystem storage). */
    public static final ConfigOption<String> BASE_PATH = ConfigOptions.key("state.changelog.dstl.dfs.base-path")
            .stringType()
            .noDefaultValue()
            .withDescription("Directory URI for changelog segments and materialized snapshots (filesystem storage).");

    /** {@code state.changelog.dstl.dfs.batch.persist-delay}: How long a persist request waits for others (of any backend sharing the storage) to go into the same file. */
    public static final ConfigOption<Duration> PERSIST_DELAY = ConfigOptions.key(
                    "state.changelog.dstl.dfs.batch.persist-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("How long a persist request waits for others (of any backend sharing the storage) to"
                    + " go into the same file.");

    /** {@code state.changelog.dstl.dfs.batch.persist-size-threshold}: Waiting persist requests are uploaded at once when they add up to this size. */
    public static final ConfigOption<MemorySize> PERSIST_SIZE_THRESHOLD = ConfigOptions.key(
                    "state.changelog.dstl.dfs.batch.persist-size-threshold")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(10))
            .withDescription("Waiting persist requests are uploaded at once when they add up to this size.");

    /** {@code state.changelog.dstl.dfs.preemptive-persist-threshold}: Changes of one backend beyond this size are uploaded without waiting for a checkpoint. */
    public static final ConfigOption<MemorySize> PREEMPTIVE_PERSIST_THRESHOLD = ConfigOptions.key(
                    "state.changelog.dstl.dfs.preemptive-persist-threshold")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(5))
            .withDescription("Changes of one backend beyond this size are uploaded without waiting for a checkpoint.");

    /** {@code state.changelog.dstl.dfs.upload.max-in-flight}: Bytes being uploaded at most; beyond it, writers block (back-pressure). */
    public static final ConfigOption<MemorySize> IN_FLIGHT_DATA_LIMIT = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.max-in-flight")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(100))
            .withDescription("Bytes being uploaded at most; beyond it, writers block (back-pressure).");

    /** {@code state.changelog.dstl.dfs.upload.retry-policy}: Retry policy of failed or timed-out uploads: 'none' or 'fixed'. */
    public static final ConfigOption<RetryPolicy> RETRY_POLICY = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.retry-policy")
            .enumType(RetryPolicy.class)
            .defaultValue(RetryPolicy.fixed)
            .withDescription("Retry policy of failed or timed-out uploads: 'none' or 'fixed'.");

    /** {@code state.changelog.dstl.dfs.upload.timeout}: An upload attempt taking longer is abandoned and retried (fixed policy). */
    public static final ConfigOption<Duration> UPLOAD_TIMEOUT = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("An upload attempt taking longer is abandoned and retried (fixed policy).");

    /** {@code state.changelog.dstl.dfs.upload.max-attempts}: Attempts per upload, the first included (fixed policy). */
    public static final ConfigOption<Integer> RETRY_MAX_ATTEMPTS = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.max-attempts")
            .intType()
            .defaultValue(3)
            .withDescription("Attempts per upload, the first included (fixed policy).");

    /** {@code state.changelog.dstl.dfs.upload.next-attempt-delay}: Delay before the next attempt after a failed (not timed-out) one. */
    public static final ConfigOption<Duration> RETRY_DELAY_AFTER_FAILURE = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.next-attempt-delay")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("Delay before the next attempt after a failed (not timed-out) one.");

    /** {@code state.changelog.dstl.dfs.upload.num-threads}: Threads uploading changelog files in parallel. */
    public static final ConfigOption<Integer> NUM_UPLOAD_THREADS = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.num-threads")
            .intType()
            .defaultValue(5)
            .withDescription("Threads uploading changelog files in parallel.");

    /** {@code state.changelog.dstl.dfs.upload.buffer-size}: Write buffer of changelog and materialization files. */
    public static final ConfigOption<MemorySize> UPLOAD_BUFFER_SIZE = ConfigOptions.key(
                    "state.changelog.dstl.dfs.upload.buffer-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(1))
            .withDescription("Write buffer of changelog and materialization files.");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(
                ENABLED,
                STORAGE,
                PERIODIC_MATERIALIZATION_ENABLED,
                PERIODIC_MATERIALIZATION_INTERVAL,
                MATERIALIZATION_MAX_FAILURES_ALLOWED,
                BASE_PATH,
                PERSIST_DELAY,
                PERSIST_SIZE_THRESHOLD,
                PREEMPTIVE_PERSIST_THRESHOLD,
                IN_FLIGHT_DATA_LIMIT,
                RETRY_POLICY,
                UPLOAD_TIMEOUT,
                RETRY_MAX_ATTEMPTS,
                RETRY_DELAY_AFTER_FAILURE,
                NUM_UPLOAD_THREADS,
                UPLOAD_BUFFER_SIZE);
    }
}

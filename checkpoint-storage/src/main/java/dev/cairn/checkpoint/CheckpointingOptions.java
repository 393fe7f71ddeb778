package dev.cairn.checkpoint;

import dev.cairn.state.ConfigOption;
import dev.cairn.state.ConfigOptions;
import dev.cairn.state.MemorySize;
import java.util.List;

/** Options of checkpoint storage and the checkpoint coordinator (Flink's keys; deprecated keys still read). */
public final class CheckpointingOptions {
    private CheckpointingOptions() {}

    /** The largest allowed {@link #FS_SMALL_FILE_THRESHOLD}. */
    public static final MemorySize MAX_INLINE_THRESHOLD = MemorySize.ofMebiBytes(1);

    /** {@code execution.checkpointing.storage}: 'jobmanager', 'filesystem', or a CheckpointStorageFactory class name. */
    public static final ConfigOption<String> CHECKPOINT_STORAGE = ConfigOptions.key("execution.checkpointing.storage")
            .stringType()
            .noDefaultValue()
            .withDeprecatedKeys("state.checkpoint-storage")
            .withDescription("'jobmanager', 'filesystem', or a CheckpointStorageFactory class name. Default:"
                    + " 'filesystem' when execution.checkpointing.dir is set, else 'jobmanager'.");

    /** {@code execution.checkpointing.dir}: Directory (URI or local path) for checkpoint data and metadata. */
    public static final ConfigOption<String> CHECKPOINTS_DIRECTORY = ConfigOptions.key("execution.checkpointing.dir")
            .stringType()
            .noDefaultValue()
            .withDeprecatedKeys("state.checkpoints.dir")
            .withDescription("Directory (URI or local path) for checkpoint data and metadata.");

    /** {@code execution.checkpointing.savepoint-dir}: Default target directory of savepoints. */
    public static final ConfigOption<String> SAVEPOINT_DIRECTORY = ConfigOptions.key(
                    "execution.checkpointing.savepoint-dir")
            .stringType()
            .noDefaultValue()
            .withDeprecatedKeys("state.savepoints.dir")
            .withDescription("Default target directory of savepoints.");

    /** {@code execution.checkpointing.incremental}: Incremental checkpoints: RocksDB uploads only the files, the heap backend only the entries, that changed since the last completed checkpoint. */
    public static final ConfigOption<Boolean> INCREMENTAL = ConfigOptions.key("execution.checkpointing.incremental")
            .booleanType()
            .defaultValue(false)
            .withDeprecatedKeys("state.backend.incremental")
            .withDescription(
                    "Incremental checkpoints: RocksDB uploads only the files, the heap backend only the entries, that changed since the last completed checkpoint.");

    /** {@code execution.checkpointing.num-retained}: How many completed checkpoints to keep; older ones are subsumed and deleted. */
    public static final ConfigOption<Integer> MAX_RETAINED_CHECKPOINTS = ConfigOptions.key(
                    "execution.checkpointing.num-retained")
            .intType()
            .defaultValue(1)
            .withDeprecatedKeys("state.checkpoints.num-retained")
            .withDescription("How many completed checkpoints to keep; older ones are subsumed and deleted.");

    /** {@code execution.checkpointing.max-concurrent-checkpoints}: How many checkpoints may be in progress at once. */
    public static final ConfigOption<Integer> MAX_CONCURRENT_CHECKPOINTS = ConfigOptions.key(
                    "execution.checkpointing.max-concurrent-checkpoints")
            .intType()
            .defaultValue(1)
            .withDescription("How many checkpoints may be in progress at once.");

    /** {@code execution.checkpointing.data-inline-threshold}: State streams smaller than this are stored inside the metadata file instead of their own file. */
    public static final ConfigOption<MemorySize> FS_SMALL_FILE_THRESHOLD = ConfigOptions.key(
                    "execution.checkpointing.data-inline-threshold")
            .memoryType()
            .defaultValue(MemorySize.ofKibiBytes(20))
            .withDeprecatedKeys("state.storage.fs.memory-threshold", "state.backend.fs.memory-threshold")
            .withDescription("State streams smaller than this are stored inside the metadata file instead of"
                    + " their own file. At most 1mb.");

    /** {@code execution.checkpointing.write-buffer-size}: Write buffer of checkpoint file streams, in bytes. */
    public static final ConfigOption<Integer> FS_WRITE_BUFFER_SIZE = ConfigOptions.key(
                    "execution.checkpointing.write-buffer-size")
            .intType()
            .defaultValue(4096)
            .withDeprecatedKeys("state.storage.fs.write-buffer-size", "state.backend.fs.write-buffer-size")
            .withDescription("Write buffer of checkpoint file streams, in bytes.");

    /** {@code execution.checkpointing.create-subdir}: Put each job's checkpoints under &lt;dir&gt;/&lt;job-id&gt;/. */
    public static final ConfigOption<Boolean> CREATE_CHECKPOINT_SUB_DIR = ConfigOptions.key(
                    "execution.checkpointing.create-subdir")
            .booleanType()
            .defaultValue(true)
            .withDescription("Put each job's checkpoints under <dir>/<job-id>/.");

    /** {@code execution.checkpointing.ownership.lease-timeout}: Cairn only. */
    public static final ConfigOption<java.time.Duration> OWNERSHIP_LEASE_TIMEOUT = ConfigOptions.key(
                    "execution.checkpointing.ownership.lease-timeout")
            .durationType()
            .defaultValue(java.time.Duration.ofSeconds(30))
            .withDescription("Cairn only. A process that checkpoints into a job's directory holds its ownership"
                    + " lease (<job dir>/_lease/) and renews it every third of this timeout; a second process"
                    + " on the same directory fails at start unless the lease is stale: its owner's process is"
                    + " gone (same host) or it was not renewed for this long. Hosts sharing a directory need"
                    + " clocks that agree to well within it.");

    /** {@code web.checkpoints.history}: How many recent checkpoints the checkpoint history keeps (Flink's web UI key). */
    public static final ConfigOption<Integer> CHECKPOINT_HISTORY_SIZE = ConfigOptions.key("web.checkpoints.history")
            .intType()
            .defaultValue(10)
            .withDescription("How many recent checkpoints the checkpoint history keeps (Flink's web UI key).");

    /** {@return every option defined here} */
    public static List<ConfigOption<?>> all() {
        return List.of(
                CHECKPOINT_STORAGE,
                CHECKPOINTS_DIRECTORY,
                SAVEPOINT_DIRECTORY,
                INCREMENTAL,
                MAX_RETAINED_CHECKPOINTS,
                MAX_CONCURRENT_CHECKPOINTS,
                FS_SMALL_FILE_THRESHOLD,
                FS_WRITE_BUFFER_SIZE,
                CREATE_CHECKPOINT_SUB_DIR,
                OWNERSHIP_LEASE_TIMEOUT,
                CHECKPOINT_HISTORY_SIZE);
    }
}

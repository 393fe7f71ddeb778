package dev.cairn.kafka.internal;

import dev.cairn.checkpoint.CheckpointOwnershipException;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.StateRecoveryOptions;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.config.ExecutionOptions;
import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.VoidNamespace;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The state of one input partition: its own {@link StateEnvironment} — a job directory
 * {@code <checkpoint-dir>/<pipeline.name>-<topic>-<partition>/} with its own ownership lease — holding the keyed
 * state and, as operator state, the offset of the next record to read. A partition's state moves between processes
 * through its checkpoints; its lease keeps a process that lost the partition from completing a checkpoint for it.
 *
 * <p>Used by one thread at a time (opened on the restore thread, then handed to the polling thread).
 */
public final class PartitionState<K> implements AutoCloseable {
    static final String KEYED_OPERATOR = "kafka-keyed";
    static final String SOURCE_OPERATOR = "kafka-source";
    private static final ListStateDescriptor<Long> NEXT_OFFSET =
            new ListStateDescriptor<>("next-offset", Serializers.LONG);

    private final TopicPartition partition;
    private final StateEnvironment environment;
    private final KeyedStateStore<K> keyed;
    private final ListState<Long> offsetState;
    private long nextOffset;
    private PartitionTimers<K> timers;
    private long maxTimestamp = Long.MIN_VALUE;

    private PartitionState(
            TopicPartition partition,
            StateEnvironment environment,
            KeyedStateStore<K> keyed,
            ListState<Long> offsetState,
            long nextOffset) {
        this.partition = partition;
        this.environment = environment;
        this.keyed = keyed;
        this.offsetState = offsetState;
        this.nextOffset = nextOffset;
    }

    /** The job name of a partition's checkpoints: the pipeline's name, the topic and the partition. */
    public static String jobName(String pipelineName, TopicPartition partition) {
        return pipelineName + "-" + partition.topic() + "-" + partition.partition();
    }

    /**
     * Opens (restores) a partition's state: from the latest checkpoint of its directory, or — when
     * {@code committedCheckpoint} is present (exactly-once) — from the checkpoint it names, or from nothing when it
     * names none.
     *
     * @throws CheckpointOwnershipException while another live process holds the partition's lease
     */
    public static <K> PartitionState<K> open(
            Configuration configuration,
            TopicPartition partition,
            TypeSerializer<K> keySerializer,
            Optional<OptionalLong> committedCheckpoint) {
        Configuration own = new Configuration(configuration);
        String jobName = jobName(configuration.get(ExecutionOptions.PIPELINE_NAME), partition);
        own.set(ExecutionOptions.PIPELINE_NAME, jobName);
        if (committedCheckpoint.isPresent()) {
            // Exactly-once: only a checkpoint whose output transaction committed counts. Its transaction commits
            // after the checkpoint completes, and a completing checkpoint subsumes older ones: keep the previous
            // checkpoint too, so that a member killed between a checkpoint's completion and its commit leaves the
            // committed one behind for the next owner. (The next round starts only after this commit.)
            own.set(
                    CheckpointingOptions.MAX_RETAINED_CHECKPOINTS,
                    Math.max(2, configuration.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)));
            OptionalLong id = committedCheckpoint.get();
            if (id.isPresent()) {
                own.set(
                        StateRecoveryOptions.SAVEPOINT_PATH,
                        StoragePath.of(configuration.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                                .resolve(jobName)
                                .resolve("chk-" + id.getAsLong())
                                .toString());
                own.set(StateRecoveryOptions.CLAIM_MODE, StateRecoveryOptions.ClaimMode.CLAIM);
            } else {
                own.set(StateRecoveryOptions.FROM_LATEST_CHECKPOINT, false);
            }
        }
        StateEnvironment environment = StateEnvironment.create(own);
        try {
            KeyedStateStore<K> keyed = environment.keyedBackend(KEYED_OPERATOR, keySerializer);
            ListState<Long> offsetState =
                    environment.operatorStateBackend(SOURCE_OPERATOR).getListState(NEXT_OFFSET);
            long restored = -1;
            Iterator<Long> offsets = offsetState.get().iterator();
            if (offsets.hasNext()) {
                restored = offsets.next();
            }
            return new PartitionState<>(partition, environment, keyed, offsetState, restored);
        } catch (RuntimeException e) {
            environment.close();
            throw e;
        }
    }

    public TopicPartition partition() {
        return partition;
    }

    public KeyedStateStore<K> keyed() {
        return keyed;
    }

    /** {@return the offset of the next record to read, from the restored checkpoint or processing; empty: none yet} */
    public OptionalLong nextOffset() {
        return nextOffset < 0 ? OptionalLong.empty() : OptionalLong.of(nextOffset);
    }

    /** {@return the partition's timers, or {@code null} before {@link #openTimers}} */
    public PartitionTimers<K> timers() {
        return timers;
    }

    /**
     * Creates the partition's timers with the handler that fires them (timers restored under the same name come back
     * with the state).
     */
    public PartitionTimers<K> openTimers(TimerHandler<K, VoidNamespace> handler, LongSupplier clock) {
        if (timers != null) {
            throw new IllegalStateException("The timers of " + partition + " are open already");
        }
        timers = new PartitionTimers<>(keyed.timerService("kafka-timers", Serializers.VOID_NAMESPACE, handler, clock));
        return timers;
    }

    /** {@return the largest record timestamp processed in this partition since it was opened} */
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Records a processed record's timestamp. */
    public void timestamp(long timestamp) {
        maxTimestamp = Math.max(maxTimestamp, timestamp);
    }

    /** Records that the record at {@code offset} was processed. */
    public void processed(long offset) {
        nextOffset = offset + 1;
    }

    /** {@return the checkpoint it was restored from, if any} */
    public java.util.Optional<CompletedCheckpoint> restoredFrom() {
        return environment.getRestoredCheckpoint();
    }

    /**
     * Starts a checkpoint of the state and the next offset. The caller has made the output of every processed record
     * durable first.
     */
    public CompletableFuture<CompletedCheckpoint> checkpoint() {
        try {
            if (nextOffset >= 0) {
                offsetState.update(java.util.List.of(nextOffset));
            }
            return environment.triggerCheckpoint();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Releases the state and the partition's lease (the next owner takes over at once). */
    @Override
    public void close() {
        environment.close();
    }

    /** {@return whether {@code error} (or a cause) says another process took the partition's lease} */
    public static boolean isOwnershipLost(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CheckpointOwnershipException) {
                return true;
            }
        }
        return false;
    }
}

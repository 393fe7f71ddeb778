package dev.cairn.kafka;

import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.config.KafkaOptions;
import dev.cairn.kafka.internal.PartitionState;
import dev.cairn.kafka.internal.PartitionTimers;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.Timer;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.VoidNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a Kafka consumer group that keeps keyed state in Cairn: the group spreads the input partitions over
 * the members, and each partition's state and read position are checkpointed together to a shared store (a
 * directory, S3), so that a partition's next owner continues exactly where the last checkpoint left it.
 *
 * <pre>{@code
 * KafkaStateful<String, String, String, Long> counter = KafkaStateful.builder(consumerProperties, "clicks")
 *         .keys(new StringDeserializer(), Serializers.STRING)
 *         .values(new StringDeserializer())
 *         .configuration(cairnConfiguration) // state.backend.type, execution.checkpointing.dir, kafka.*
 *         .process((record, context) -> {
 *             ValueState<Long> count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
 *             long next = count.value() == null ? 1 : count.value() + 1;
 *             count.update(next);
 *             context.emit(record.key(), next);
 *         })
 *         .output("counts", new StringSerializer(), new LongSerializer())
 *         .build();
 * counter.run(); // until close() from another thread
 * }</pre>
 *
 * <h2>How it works</h2>
 *
 * <ul>
 *   <li><b>State per partition.</b> Every input partition has its own job directory
 *       {@code <execution.checkpointing.dir>/<pipeline.name>-<topic>-<partition>/}, keyed state (all key groups:
 *       a partition's keys never split) and the offset of its next record as operator state. Any number of members
 *       before a restart, any number after: state moves partition by partition. The input topic's partition count
 *       must not change (keys would move between partitions, as in Kafka Streams).
 *   <li><b>Assignment.</b> A newly assigned partition is paused while its state is restored on a background thread
 *       (other partitions keep being processed), then the consumer seeks to the checkpointed offset and resumes it.
 *       Without a checkpoint the consumer's {@code auto.offset.reset} applies. A revoked partition is checkpointed
 *       and released; a lost one (the member was expelled) is released without a checkpoint.
 *   <li><b>Offsets are state.</b> A checkpoint stores each partition's next offset with its state. Offsets are
 *       committed to Kafka only after the checkpoint completed, as a mirror for monitoring (lag); they are never
 *       read back. {@code enable.auto.commit} is turned off.
 *   <li><b>Fencing.</b> Each partition's directory has an ownership lease with an epoch. A new owner waits until the
 *       previous one releases it (a clean handover) or it goes stale; a member that was paused past its session
 *       and lease timeouts (a "zombie") then fails to complete any checkpoint for the partition, with an error
 *       naming the new owner, and drops the partition: the new owner's state is never overwritten.
 *   <li><b>At-least-once output</b> ({@code kafka.processing.guarantee: at_least_once}, the default). Output
 *       records are flushed before the checkpoint covering their input completes: none is lost; after a failure,
 *       output of records processed after the last checkpoint is sent again. State is exact: every record's effect
 *       on it counts once.
 *   <li><b>Exactly-once output</b> ({@code exactly_once}). A transactional producer; at each interval every
 *       partition is checkpointed, then one transaction commits the output with the offsets, whose metadata names
 *       each partition's checkpoint. That commit is the round's commit point: a restore takes the checkpoint the
 *       committed offsets name, so a round whose transaction did not commit is replayed; a member that lost a
 *       partition aborts the transaction and restores every partition from its committed checkpoint.
 * </ul>
 *
 * <p>Not thread-safe: {@link #run()} (or {@link #runOnce}) on one thread; {@link #close()} may be called from
 * another.
 *
 * @param <K> the input key type (the state's key type)
 * @param <V> the input value type
 * @param <OK> the output key type
 * @param <OV> the output value type
 */
public final class KafkaStateful<K, V, OK, OV> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateful.class);
    /** Offsets committed to Kafka name the checkpoint holding them: {@code cairn-checkpoint=<id>}. */
    private static final String CHECKPOINT_METADATA = "cairn-checkpoint=";

    private final KafkaConsumer<K, V> consumer;
    private final KafkaProducer<OK, OV> producer;
    private final String outputTopic;
    private final Configuration configuration;
    private final TypeSerializer<K> keySerializer;
    private final RecordProcessor<K, V, OK, OV> processor;
    private final Duration checkpointInterval;
    private final Duration ownershipWait;
    private final boolean exactlyOnce;
    /** Exactly-once: whether a transaction is open (it begins with a round's first output record). */
    private boolean inTransaction;

    private final TimerProcessor<K, OK, OV> timerProcessor;
    private final java.util.function.LongSupplier processingClock;
    private final long outOfOrderness;
    private final String offsetReset;
    /** Partitions released and restored again by this member (their position is not where a new owner starts). */
    private final java.util.Set<TopicPartition> reopened = new java.util.HashSet<>();

    private final ScheduledExecutorService restorer;
    private final Map<TopicPartition, PartitionState<K>> partitions = new HashMap<>();
    private final Map<TopicPartition, CompletableFuture<PartitionState<K>>> restoring = new HashMap<>();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Context context = new Context();
    private long nextCheckpointNanos;
    private long nullKeys;
    private volatile boolean closing;
    private volatile boolean running;
    private boolean shutDown;

    private KafkaStateful(Builder<K, V, OK, OV> builder) {
        this.configuration = new Configuration(builder.configuration);
        String guarantee = configuration.get(KafkaOptions.PROCESSING_GUARANTEE);
        if (!guarantee.equals("at_least_once") && !guarantee.equals("exactly_once")) {
            throw IllegalConfigurationException.invalidValue(
                    KafkaOptions.PROCESSING_GUARANTEE.key(), guarantee, "at_least_once or exactly_once");
        }
        // Without output there is nothing to commit atomically: state and offsets are exact either way.
        this.exactlyOnce = guarantee.equals("exactly_once") && builder.outputTopic != null;
        this.keySerializer = builder.keySerializer;
        this.processor = builder.processor;
        this.timerProcessor = builder.timerProcessor;
        this.processingClock = builder.processingClock;
        this.outOfOrderness =
                configuration.get(KafkaOptions.WATERMARK_OUT_OF_ORDERNESS).toMillis();
        this.outputTopic = builder.outputTopic;
        this.checkpointInterval = configuration.get(KafkaOptions.CHECKPOINT_INTERVAL);
        this.ownershipWait = configuration.get(KafkaOptions.OWNERSHIP_WAIT);
        Properties consumerProperties = new Properties();
        consumerProperties.putAll(builder.consumerProperties);
        if (consumerProperties.getProperty(ConsumerConfig.GROUP_ID_CONFIG) == null) {
            throw new IllegalArgumentException("The consumer properties need a '" + ConsumerConfig.GROUP_ID_CONFIG
                    + "': the group spreads the partitions over its members");
        }
        // Offsets live in checkpoints; what is committed to Kafka is a mirror written after each checkpoint.
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.offsetReset = consumerProperties.getProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        if (exactlyOnce) {
            consumerProperties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        this.consumer = new KafkaConsumer<>(consumerProperties, builder.keyDeserializer, builder.valueDeserializer);
        if (outputTopic != null) {
            Properties producerProperties = new Properties();
            producerProperties.put(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    consumerProperties.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            producerProperties.putAll(builder.producerProperties);
            producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            if (exactlyOnce) {
                // One transactional id per member instance; zombies are fenced by the consumer group's generation
                // (sendOffsetsToTransaction with the group's metadata), as in Kafka Streams' exactly-once v2.
                producerProperties.put(
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        consumerProperties.getProperty(ConsumerConfig.GROUP_ID_CONFIG) + "-"
                                + configuration.get(dev.cairn.config.ExecutionOptions.PIPELINE_NAME) + "-"
                                + java.util.UUID.randomUUID());
            }
            this.producer =
                    new KafkaProducer<>(producerProperties, builder.outputKeySerializer, builder.outputValueSerializer);
            if (exactlyOnce) {
                producer.initTransactions(); // a transaction begins with a round's first output record
            }
        } else {
            this.producer = null;
        }
        this.restorer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cairn-kafka-restore");
            thread.setDaemon(true);
            return thread;
        });
        consumer.subscribe(List.of(builder.inputTopic), new Rebalance());
        nextCheckpointNanos = System.nanoTime() + checkpointInterval.toNanos();
    }

    /**
     * A builder for a consumer of {@code inputTopic}.
     *
     * @param consumerProperties the Kafka consumer's properties ({@code bootstrap.servers}, {@code group.id}, …)
     * @param inputTopic the topic to consume
     * @param <K> the input key type
     * @param <V> the input value type
     * @param <OK> the output key type
     * @param <OV> the output value type
     * @return the builder
     */
    public static <K, V, OK, OV> Builder<K, V, OK, OV> builder(Properties consumerProperties, String inputTopic) {
        return new Builder<>(consumerProperties, inputTopic);
    }

    /**
     * Polls and processes until {@link #close()} is called (from another thread), then checkpoints and releases
     * every partition.
     *
     * @throws Exception when processing, restoring or checkpointing fails; partitions are released without a
     *     checkpoint (their state restarts from the last one)
     */
    public void run() throws Exception {
        running = true;
        boolean failed = true;
        try {
            while (!closing) {
                runOnce(Duration.ofMillis(100));
            }
            failed = false;
        } catch (WakeupException e) {
            if (!closing) {
                throw e;
            }
            failed = false;
        } finally {
            // After a failure the state may hold part of a record's effect: no handover checkpoint then.
            shutdown(!failed);
        }
    }

    /**
     * One round: takes over restored partitions, polls once, processes what came, and checkpoints when the interval
     * has passed.
     *
     * @param pollTimeout the longest the poll waits for records
     * @throws Exception when processing, restoring or checkpointing fails
     */
    public void runOnce(Duration pollTimeout) throws Exception {
        takeOverRestored();
        ConsumerRecords<K, V> records = consumer.poll(pollTimeout);
        for (TopicPartition partition : records.partitions()) {
            PartitionState<K> state = partitions.get(partition);
            if (state == null) {
                continue; // revoked or lost during this poll
            }
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                process(state, record);
            }
            if (timerProcessor != null && state.maxTimestamp() != Long.MIN_VALUE) {
                // Flink's bounded out-of-orderness watermark: the largest timestamp, less the allowed lateness, less 1.
                timersOf(state).service().advanceWatermark(state.maxTimestamp() - outOfOrderness - 1);
            }
        }
        if (timerProcessor != null) {
            for (PartitionState<K> state : new ArrayList<>(partitions.values())) {
                timersOf(state).service().fireDueProcessingTimers();
            }
        }
        rethrowSendFailure();
        if (System.nanoTime() - nextCheckpointNanos >= 0) {
            checkpointAll();
            nextCheckpointNanos = System.nanoTime() + checkpointInterval.toNanos();
        }
    }

    private void process(PartitionState<K> state, ConsumerRecord<K, V> record) throws Exception {
        if (record.key() == null) {
            // Keyed state needs a key; as Kafka Streams' aggregations, records without one are skipped.
            if (nullKeys++ == 0) {
                LOG.warn("Skipping records without a key (first at {} offset {})", state.partition(), record.offset());
            }
        } else {
            state.keyed().setCurrentKey(record.key());
            context.current = state;
            processor.process(record, context);
        }
        state.timestamp(record.timestamp());
        state.processed(record.offset());
    }

    /** The partition's timers, opened once; firing one runs the timer processor with the timer's key current. */
    private PartitionTimers<K> timersOf(PartitionState<K> state) {
        PartitionTimers<K> timers = state.timers();
        if (timers != null) {
            return timers;
        }
        return state.openTimers(
                new TimerHandler<>() {
                    @Override
                    public void onEventTime(Timer<K, VoidNamespace> timer) throws Exception {
                        fire(state, timer, TimerProcessor.TimeDomain.EVENT_TIME);
                    }

                    @Override
                    public void onProcessingTime(Timer<K, VoidNamespace> timer) throws Exception {
                        fire(state, timer, TimerProcessor.TimeDomain.PROCESSING_TIME);
                    }
                },
                processingClock);
    }

    private void fire(PartitionState<K> state, Timer<K, VoidNamespace> timer, TimerProcessor.TimeDomain domain)
            throws Exception {
        if (timerProcessor == null) {
            throw new IllegalStateException("A timer fired but no timer processor is set: use Builder.onTimer(…)");
        }
        context.current = state;
        timerProcessor.onTimer(timer.key(), timer.timestamp(), domain, context);
    }

    /**
     * Checkpoints every partition whose state is here: first makes every output record durable, then checkpoints
     * the partitions' state and offsets; at-least-once then mirrors the offsets to Kafka, exactly-once commits the
     * output transaction together with the offsets, each naming its checkpoint — the commit point of the round.
     *
     * @throws Exception when the output cannot be flushed or committed, or a checkpoint fails for another reason
     *     than a lost lease
     */
    public void checkpointAll() throws Exception {
        checkpoint(new ArrayList<>(partitions.keySet()));
    }

    private void checkpoint(Collection<TopicPartition> toCheckpoint) throws Exception {
        if (toCheckpoint.isEmpty()) {
            return;
        }
        if (producer != null) {
            producer.flush();
            rethrowSendFailure();
        }
        Map<TopicPartition, CompletableFuture<CompletedCheckpoint>> pending = new HashMap<>();
        for (TopicPartition partition : toCheckpoint) {
            pending.put(partition, partitions.get(partition).checkpoint());
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<TopicPartition> lost = new ArrayList<>();
        Exception failure = null;
        for (Map.Entry<TopicPartition, CompletableFuture<CompletedCheckpoint>> entry : pending.entrySet()) {
            TopicPartition partition = entry.getKey();
            PartitionState<K> state = partitions.get(partition);
            try {
                CompletedCheckpoint checkpoint = entry.getValue().get();
                state.nextOffset()
                        .ifPresent(offset -> offsets.put(
                                partition,
                                new OffsetAndMetadata(offset, CHECKPOINT_METADATA + checkpoint.getCheckpointId())));
            } catch (Exception e) {
                if (PartitionState.isOwnershipLost(e)) {
                    LOG.error(
                            "Partition {} has a new owner: this member lost it (paused past its session and lease"
                                    + " timeouts?) and drops it without a checkpoint; the new owner's state is kept",
                            partition,
                            e);
                    lost.add(partition);
                } else if (failure == null) {
                    failure = e;
                }
            }
        }
        if (exactlyOnce) {
            if (!lost.isEmpty()) {
                // The open transaction holds output of the lost partitions: none of it may commit.
                abandon("partitions " + lost + " have a new owner");
            } else if (failure != null) {
                throw failure;
            } else {
                commitTransaction(offsets);
            }
            return;
        }
        for (TopicPartition partition : lost) {
            reopen(partition);
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.debug(
                            "The offsets mirror was not committed (they are kept in checkpoints): {}",
                            error.toString());
                }
            });
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Exactly-once: commits the round's output with the offsets its checkpoints hold. */
    private void commitTransaction(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty() && !inTransaction) {
            return; // nothing processed, nothing to commit
        }
        try {
            beginTransactionIfNeeded();
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
        } catch (org.apache.kafka.common.errors.ProducerFencedException
                | org.apache.kafka.common.errors.InvalidProducerEpochException
                | org.apache.kafka.common.errors.AuthorizationException e) {
            throw new IllegalStateException(
                    "The output transaction cannot commit: this member's producer was fenced (another member took"
                            + " over); its output since the last checkpoint is discarded",
                    e);
        } catch (org.apache.kafka.common.KafkaException e) {
            // E.g. the group moved on (CommitFailedException): nothing of this round counts.
            LOG.warn(
                    "The output transaction did not commit ({}); the round is replayed from committed checkpoints",
                    e.toString());
            abandon("the transaction did not commit");
            return;
        }
        inTransaction = false;
    }

    private void beginTransactionIfNeeded() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    /** Exactly-once: aborts the open transaction, if any: none of its output counts. */
    private void abortTransaction() {
        if (inTransaction) {
            inTransaction = false;
            producer.abortTransaction();
        }
    }

    /**
     * Exactly-once: drops everything since the last commit — aborts the transaction and reopens every partition from
     * its committed checkpoint (waiting for its lease if another member took it; a rebalance then moves it away).
     */
    private void abandon(String reason) {
        LOG.warn(
                "Aborting the output transaction and restoring every partition from its committed checkpoint: {}",
                reason);
        abortTransaction();
        for (TopicPartition partition : new ArrayList<>(partitions.keySet())) {
            reopen(partition);
        }
        consumer.enforceRebalance(reason);
    }

    /** Releases a partition's state without a checkpoint and restores it again, paused until then. */
    private void reopen(TopicPartition partition) {
        release(partition);
        reopened.add(partition);
        if (consumer.assignment().contains(partition)) {
            startRestore(List.of(partition));
        }
    }

    private void rethrowSendFailure() throws Exception {
        Exception failure = sendFailure.get();
        if (failure != null) {
            throw new IllegalStateException("Sending output to '" + outputTopic + "' failed", failure);
        }
    }

    private void takeOverRestored() throws Exception {
        for (var iterator = restoring.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<TopicPartition, CompletableFuture<PartitionState<K>>> entry = iterator.next();
            if (!entry.getValue().isDone()) {
                continue;
            }
            iterator.remove();
            TopicPartition partition = entry.getKey();
            PartitionState<K> state;
            try {
                state = entry.getValue().get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(
                        "Cannot restore the state of partition " + partition + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
            partitions.put(partition, state);
            if (state.nextOffset().isPresent()) {
                consumer.seek(partition, state.nextOffset().getAsLong());
            } else if (reopened.remove(partition)) {
                rewindWithoutCheckpoint(partition);
            }
            consumer.resume(List.of(partition));
            LOG.info(
                    "Partition {}: state restored{}, reading from {}",
                    partition,
                    state.restoredFrom()
                            .map(c -> " from checkpoint " + c.getCheckpointId())
                            .orElse(" (none)"),
                    state.nextOffset().isPresent()
                            ? "offset " + state.nextOffset().getAsLong()
                            : "auto.offset.reset");
        }
    }

    /** Pauses partitions and restores their state on the restore thread; they resume once it is here. */
    private void startRestore(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            return;
        }
        consumer.pause(assigned);
        Map<TopicPartition, Optional<OptionalLong>> committed = committedCheckpoints(assigned);
        long deadline = System.nanoTime() + ownershipWait.toNanos();
        for (TopicPartition partition : assigned) {
            CompletableFuture<PartitionState<K>> result = new CompletableFuture<>();
            restoring.put(partition, result);
            restorer.execute(() -> restore(partition, committed.get(partition), result, deadline));
        }
    }

    /**
     * Exactly-once: the checkpoint each partition's committed offsets name (the last round whose output committed);
     * empty inside when none did. At-least-once: empty (the latest checkpoint counts).
     */
    private Map<TopicPartition, Optional<OptionalLong>> committedCheckpoints(Collection<TopicPartition> assigned) {
        Map<TopicPartition, Optional<OptionalLong>> result = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> committed =
                exactlyOnce ? consumer.committed(java.util.Set.copyOf(assigned)) : Map.of();
        for (TopicPartition partition : assigned) {
            if (!exactlyOnce) {
                result.put(partition, Optional.empty());
                continue;
            }
            OffsetAndMetadata offset = committed.get(partition);
            String metadata = offset == null ? null : offset.metadata();
            result.put(
                    partition,
                    Optional.of(
                            metadata != null && metadata.startsWith(CHECKPOINT_METADATA)
                                    ? OptionalLong.of(Long.parseLong(metadata.substring(CHECKPOINT_METADATA.length())))
                                    : OptionalLong.empty()));
        }
        return result;
    }

    /**
     * A reopened partition without a checkpoint starts where a new member would: at its committed offset, else as
     * {@code auto.offset.reset} says — not where this member's position had got to.
     */
    private void rewindWithoutCheckpoint(TopicPartition partition) {
        OffsetAndMetadata committed =
                consumer.committed(java.util.Set.of(partition)).get(partition);
        if (committed != null) {
            consumer.seek(partition, committed.offset());
        } else if ("latest".equals(offsetReset)) {
            consumer.seekToEnd(List.of(partition));
        } else if ("earliest".equals(offsetReset)) {
            consumer.seekToBeginning(List.of(partition));
        } else {
            throw new IllegalStateException("Partition " + partition + " has no checkpoint and no committed offset,"
                    + " and auto.offset.reset is '" + offsetReset + "'");
        }
    }

    /** Restores a partition's state on the restore thread, retrying while its previous owner holds the lease. */
    private void restore(
            TopicPartition partition,
            Optional<OptionalLong> committedCheckpoint,
            CompletableFuture<PartitionState<K>> result,
            long deadline) {
        if (result.isDone()) {
            return; // revoked meanwhile
        }
        try {
            PartitionState<K> state = PartitionState.open(configuration, partition, keySerializer, committedCheckpoint);
            if (!result.complete(state)) {
                state.close(); // revoked while it was restored: release the lease at once
            }
        } catch (RuntimeException e) {
            if (PartitionState.isOwnershipLost(e) && System.nanoTime() - deadline < 0) {
                LOG.info("Partition {}: waiting for its previous owner to release it ({})", partition, e.getMessage());
                restorer.schedule(
                        () -> restore(partition, committedCheckpoint, result, deadline), 500, TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(e);
            }
        }
    }

    /** Releases a partition's state (closing it releases its lease) or stops its restore. */
    private void release(TopicPartition partition) {
        CompletableFuture<PartitionState<K>> pending = restoring.remove(partition);
        if (pending != null && !pending.complete(null)) {
            // The restore finished: close what it opened.
            pending.thenAccept(state -> {
                if (state != null) {
                    state.close();
                }
            });
        }
        PartitionState<K> state = partitions.remove(partition);
        if (state != null) {
            state.close();
        }
    }

    /**
     * Checkpoints partitions about to be handed over (exactly-once: every partition, as a round commits them
     * together), then releases them. A failed handover checkpoint leaves the next owner the last completed one.
     */
    private void handOver(Collection<TopicPartition> leaving) {
        List<TopicPartition> held =
                leaving.stream().filter(partitions::containsKey).toList();
        try {
            checkpoint(exactlyOnce ? new ArrayList<>(partitions.keySet()) : held);
        } catch (Exception e) {
            LOG.warn("The handover checkpoint of {} failed; the next owner restarts from the last one", held, e);
        }
        for (TopicPartition partition : leaving) {
            release(partition);
        }
    }

    /**
     * Stops: checkpoints and releases every partition, then closes the clients. While {@link #run()} runs on another
     * thread, it is stopped and does this before it returns; otherwise (with {@link #runOnce}) this does it, on the
     * calling thread. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        if (running) {
            consumer.wakeup();
        } else {
            shutdown(true);
        }
    }

    private synchronized void shutdown(boolean checkpointFirst) {
        if (shutDown) {
            return;
        }
        shutDown = true;
        try {
            List<TopicPartition> all = new ArrayList<>(partitions.keySet());
            all.addAll(restoring.keySet());
            if (checkpointFirst) {
                handOver(all);
            } else {
                if (exactlyOnce) {
                    try {
                        abortTransaction();
                    } catch (RuntimeException e) {
                        LOG.warn("The output transaction could not be aborted (it times out instead)", e);
                    }
                }
                all.forEach(this::release);
            }
        } finally {
            restorer.shutdownNow();
            consumer.close(Duration.ofSeconds(10));
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Restores assigned partitions, checkpoints revoked ones, drops lost ones. Runs inside {@code poll()}. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            startRestore(assigned);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            handOver(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            LOG.warn("Partitions {} were lost (this member left the group): released without a checkpoint", lost);
            if (exactlyOnce) {
                abortTransaction(); // their output since the last commit must not count
            }
            for (TopicPartition partition : lost) {
                release(partition);
            }
        }
    }

    private final class Context implements ProcessingContext<K, OK, OV> {
        private PartitionState<K> current;

        @Override
        public <S extends State> S getState(StateDescriptor<S, ?> descriptor) {
            return current.keyed().getState(descriptor);
        }

        @Override
        public KeyedStateStore<K> keyedState() {
            return current.keyed();
        }

        @Override
        public void emit(OK key, OV value) {
            if (producer == null) {
                throw new IllegalStateException("No output topic: set one with Builder.output(…)");
            }
            if (exactlyOnce) {
                beginTransactionIfNeeded();
            }
            producer.send(new ProducerRecord<>(outputTopic, key, value), (metadata, error) -> {
                if (error != null) {
                    sendFailure.compareAndSet(null, error);
                }
            });
        }

        @Override
        public Timers timers() {
            return timersOf(current);
        }

        @Override
        public TopicPartition partition() {
            return current.partition();
        }
    }

    /**
     * Builds a {@link KafkaStateful}.
     *
     * @param <K> the input key type
     * @param <V> the input value type
     * @param <OK> the output key type
     * @param <OV> the output value type
     */
    public static final class Builder<K, V, OK, OV> {
        private final Properties consumerProperties;
        private final String inputTopic;
        private final Properties producerProperties = new Properties();
        private Configuration configuration = new Configuration();
        private Deserializer<K> keyDeserializer;
        private TypeSerializer<K> keySerializer;
        private Deserializer<V> valueDeserializer;
        private RecordProcessor<K, V, OK, OV> processor;
        private TimerProcessor<K, OK, OV> timerProcessor;
        private java.util.function.LongSupplier processingClock = System::currentTimeMillis;
        private String outputTopic;
        private Serializer<OK> outputKeySerializer;
        private Serializer<OV> outputValueSerializer;

        private Builder(Properties consumerProperties, String inputTopic) {
            this.consumerProperties = Objects.requireNonNull(consumerProperties, "consumerProperties");
            this.inputTopic = Objects.requireNonNull(inputTopic, "inputTopic");
        }

        /**
         * How keys are read from Kafka and how the state stores them.
         *
         * @param deserializer reads record keys
         * @param stateSerializer writes keys into the state (its {@code hashCode} places them in key groups)
         * @return this builder
         */
        public Builder<K, V, OK, OV> keys(Deserializer<K> deserializer, TypeSerializer<K> stateSerializer) {
            this.keyDeserializer = Objects.requireNonNull(deserializer, "deserializer");
            this.keySerializer = Objects.requireNonNull(stateSerializer, "stateSerializer");
            return this;
        }

        /**
         * How values are read from Kafka.
         *
         * @param deserializer reads record values
         * @return this builder
         */
        public Builder<K, V, OK, OV> values(Deserializer<V> deserializer) {
            this.valueDeserializer = Objects.requireNonNull(deserializer, "deserializer");
            return this;
        }

        /**
         * Cairn's settings: state backend, checkpoint storage ({@code execution.checkpointing.dir}, shared by every
         * member), {@code pipeline.name} (names the partitions' directories) and the {@code kafka.*} options.
         *
         * @param configuration the settings
         * @return this builder
         */
        public Builder<K, V, OK, OV> configuration(Configuration configuration) {
            this.configuration = Objects.requireNonNull(configuration, "configuration");
            return this;
        }

        /**
         * What to do with each record.
         *
         * @param processor the processing function
         * @return this builder
         */
        public Builder<K, V, OK, OV> process(RecordProcessor<K, V, OK, OV> processor) {
            this.processor = Objects.requireNonNull(processor, "processor");
            return this;
        }

        /**
         * What to do when a timer registered through {@link ProcessingContext#timers()} fires.
         *
         * @param timerProcessor the timer function
         * @return this builder
         */
        public Builder<K, V, OK, OV> onTimer(TimerProcessor<K, OK, OV> timerProcessor) {
            this.timerProcessor = Objects.requireNonNull(timerProcessor, "timerProcessor");
            return this;
        }

        /**
         * The processing-time clock of timers (epoch milliseconds); the wall clock by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder<K, V, OK, OV> processingTimeClock(java.util.function.LongSupplier clock) {
            this.processingClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where {@link ProcessingContext#emit} sends records.
         *
         * @param topic the output topic
         * @param keySerializer writes output keys
         * @param valueSerializer writes output values
         * @return this builder
         */
        public Builder<K, V, OK, OV> output(
                String topic, Serializer<OK> keySerializer, Serializer<OV> valueSerializer) {
            this.outputTopic = Objects.requireNonNull(topic, "topic");
            this.outputKeySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
            this.outputValueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
            return this;
        }

        /**
         * Extra properties of the output producer ({@code bootstrap.servers} is the consumer's; {@code acks=all}
         * and idempotence are always on).
         *
         * @param properties the properties
         * @return this builder
         */
        public Builder<K, V, OK, OV> producerProperties(Properties properties) {
            producerProperties.putAll(properties);
            return this;
        }

        /**
         * Creates the consumer (it joins the group on the first poll).
         *
         * @return the stateful consumer
         * @throws IllegalStateException when keys, values or the processor are not set
         * @throws IllegalConfigurationException when an option is invalid
         */
        public KafkaStateful<K, V, OK, OV> build() {
            if (keyDeserializer == null || valueDeserializer == null || processor == null) {
                throw new IllegalStateException("Set keys(…), values(…) and process(…) before build()");
            }
            return new KafkaStateful<>(this);
        }
    }
}

package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.Configuration;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers of {@link KafkaStateful} on a real broker: an event-time window per key fires when the partition's
 * watermark (its records' timestamps) passes the window's end — also after the member was replaced and the timer
 * came back from the checkpoint — and a processing-time timer fires when the injected clock reaches it.
 */
class KafkaTimersTest {
    /** Per key: window end → number of records in the window. */
    private static final MapStateDescriptor<Long, Long> WINDOWS =
            new MapStateDescriptor<>("windows", Serializers.LONG, Serializers.LONG);

    @TempDir
    Path directory;

    private KafkaBroker broker;
    private KafkaConsumer<String, String> output;

    /** A broker with the input topic and the output topic, which {@link #output} reads from its start. */
    @BeforeEach
    void startBroker() throws Exception {
        broker = KafkaBroker.start(directory.resolve("broker"));
        output = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(),
                new StringDeserializer());
        broker.createTopic("events", 1);
        broker.createTopic("windows", 1);
        output.assign(List.of(new TopicPartition("windows", 0)));
        output.seekToBeginning(List.of(new TopicPartition("windows", 0)));
    }

    @AfterEach
    void stopBroker() throws Exception {
        output.close();
        broker.close();
    }

    private final AtomicLong clock = new AtomicLong(1_000_000);

    /** Runs before a record is counted in its window, with the key's windows. */
    @FunctionalInterface
    private interface BeforeCount {
        void accept(ConsumerRecord<String, String> record, MapState<Long, Long> windows) throws Exception;
    }

    private KafkaStateful<String, String, String, String> member() {
        return member((record, windows) -> {});
    }

    private KafkaStateful<String, String, String, String> member(BeforeCount hook) {
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "windows");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Configuration configuration = new Configuration()
                .setString(
                        "execution.checkpointing.dir",
                        directory.resolve("checkpoints").toUri().toString())
                .setString("kafka.checkpoint-interval", "1 h");
        return KafkaStateful.<String, String, String, String>builder(consumer, "events")
                .keys(new StringDeserializer(), Serializers.STRING)
                .values(new StringDeserializer())
                .configuration(configuration)
                .processingTimeClock(clock::get)
                .process((record, context) -> {
                    if (record.value().equals("remind-me")) {
                        context.timers()
                                .registerProcessingTimeTimer(context.timers().currentProcessingTime() + 500);
                        return;
                    }
                    MapState<Long, Long> windows = context.getState(WINDOWS);
                    long windowEnd = record.timestamp() - Math.floorMod(record.timestamp(), 1000) + 999;
                    Long count = windows.get(windowEnd);
                    windows.put(windowEnd, count == null ? 1 : count + 1);
                    hook.accept(record, windows);
                    context.timers().registerEventTimeTimer(windowEnd);
                })
                .onTimer((key, timestamp, domain, context) -> {
                    if (domain == TimerProcessor.TimeDomain.PROCESSING_TIME) {
                        context.emit(key, "reminder at " + timestamp);
                        return;
                    }
                    MapState<Long, Long> windows = context.getState(WINDOWS);
                    context.emit(key, "window ending " + timestamp + ": " + windows.get(timestamp));
                    windows.remove(timestamp);
                })
                .output("windows", new StringSerializer(), new StringSerializer())
                .build();
    }

    private void send(String key, String value, long timestamp) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("events", 0, timestamp, key, value))
                    .get();
        }
    }

    /** Runs the member until {@code output} holds {@code expected} records or the time is up. */
    private static List<String> runUntil(
            KafkaStateful<String, String, String, String> member, KafkaConsumer<String, String> output, int expected)
            throws Exception {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            member.runOnce(Duration.ofMillis(100));
            for (ConsumerRecord<String, String> record : output.poll(Duration.ofMillis(10))) {
                received.add(record.key() + " " + record.value());
            }
        }
        return received;
    }

    @Test
    void aFailingRecordLeavesNoCheckpointOfItsPartialEffect() throws Exception {
        for (long timestamp = 100; timestamp <= 500; timestamp += 100) {
            send("erin", "click", timestamp);
        }
        java.util.concurrent.atomic.AtomicBoolean failedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        KafkaStateful<String, String, String, String> member = member((record, windows) -> {
            if (record.timestamp() == 300 && failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("processing failed");
            }
        });
        Thread runner = new Thread(() -> {
            try {
                member.run();
            } catch (Exception expected) {
                // the failure ends run(): its partitions are released without a checkpoint
            }
        });
        runner.start();
        runner.join(60_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(failedOnce).isTrue();
        send("erin", "click", 1_500); // the window ending at 999 fires in the next member
        try (KafkaStateful<String, String, String, String> next = member((record, windows) -> {})) {
            assertThat(runUntil(next, output, 1)).containsExactly("erin window ending 999: 5");
        }
    }

    @Test
    void eventAndProcessingTimeTimersFireAlsoAfterAHandover() throws Exception {
        send("alice", "click", 100);
        send("alice", "click", 300);
        send("bob", "click", 900);
        send("alice", "click", 1_200); // the watermark reaches 1199: the window ending at 999 fires
        try (KafkaStateful<String, String, String, String> first = member()) {
            assertThat(runUntil(first, output, 2))
                    .containsExactlyInAnyOrder("alice window ending 999: 2", "bob window ending 999: 1");
            first.close(); // hands the partition over: its timers (alice's window ending 1999) are checkpointed
        }
        send("carol", "click", 2_500); // a new member restores the timer; the watermark passes 1999
        send("dave", "remind-me", 2_501);
        try (KafkaStateful<String, String, String, String> second = member()) {
            assertThat(runUntil(second, output, 1)).containsExactly("alice window ending 1999: 1");
            clock.addAndGet(500); // processing time reaches dave's reminder
            assertThat(runUntil(second, output, 1)).containsExactly("dave reminder at 1000500");
        }
    }
}

package dev.cairn.kafka;

import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A measured run, not a test: end-to-end throughput of one {@link KafkaStateful} member (the counting processor,
 * with output) on a local broker, and how long a new member takes to restore every partition's state and process
 * again. Arguments: records (default 2,000,000), keys (default 1,000,000), backend (default hashmap), checkpoint
 * interval (default 1 s), guarantee (default at_least_once).
 */
public final class KafkaThroughput {
    private KafkaThroughput() {}

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int keys = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        String backend = args.length > 2 ? args[2] : "hashmap";
        String interval = args.length > 3 ? args[3] : "1 s";
        String guarantee = args.length > 4 ? args[4] : "at_least_once";
        Path directory = Files.createTempDirectory("cairn-kafka-throughput");
        try (KafkaBroker broker = KafkaBroker.start(directory.resolve("broker"))) {
            broker.createTopic("clicks", 6);
            broker.createTopic("counts", 6);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                            ProducerConfig.LINGER_MS_CONFIG, "20",
                            ProducerConfig.BATCH_SIZE_CONFIG, "262144"),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>("clicks", "user-" + (i % keys), "c"));
                }
            }
            Configuration configuration = new Configuration()
                    .setString(
                            "execution.checkpointing.dir",
                            directory.resolve("checkpoints").toUri().toString())
                    .setString("state.backend.type", backend)
                    .setString("kafka.checkpoint-interval", interval)
                    .setString("kafka.processing.guarantee", guarantee);
            long[] processed = {0};
            long started = run(broker, configuration, processed, records);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "%s, %s, %,d records, %,d keys, checkpoints every %s: %.1f s, %,.0f records/s%n",
                    backend, guarantee, records, keys, interval, seconds, records / seconds);
            // Failover: a new member restores every partition's state (all keys) from the checkpoints and reads on.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int partition = 0; partition < 6; partition++) {
                    producer.send(new ProducerRecord<>("clicks", partition, "user-0", "c"));
                }
            }
            processed[0] = 0;
            long restarted = run(broker, configuration, processed, 6);
            System.out.printf(
                    "a new member restored %,d keys and processed again after %.2f s (group join included)%n",
                    keys, (System.nanoTime() - restarted) / 1e9);
        }
    }

    /** Runs a member until it processed {@code expected} records; returns when it started. */
    private static long run(KafkaBroker broker, Configuration configuration, long[] processed, long expected)
            throws Exception {
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "throughput");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        long started = System.nanoTime();
        try (KafkaStateful<String, String, String, Long> member = KafkaStateful.<String, String, String, Long>builder(
                        consumer, "clicks")
                .keys(new StringDeserializer(), Serializers.STRING)
                .values(new StringDeserializer())
                .configuration(configuration)
                .process((record, context) -> {
                    ValueState<Long> count = context.getState(CountingMember.COUNT);
                    long next = count.value() == null ? 1 : count.value() + 1;
                    count.update(next);
                    context.emit(record.key(), next);
                    processed[0]++;
                })
                .output("counts", new StringSerializer(), new LongSerializer())
                .build()) {
            while (processed[0] < expected) {
                member.runOnce(Duration.ofMillis(100));
            }
            member.close(); // hands every partition over: checkpoint and release
        }
        return started;
    }
}

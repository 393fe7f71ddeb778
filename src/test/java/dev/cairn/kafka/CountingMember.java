package dev.cairn.kafka;

import dev.cairn.config.ConfigLoader;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consumer-group member run as its own JVM by the tests: counts the records of each key in Cairn state and
 * emits the new count of the key for every record. Arguments: bootstrap servers, group id, Cairn's configuration
 * file (YAML: state backend, checkpoint directory, S3 settings, {@code kafka.*}).
 */
public final class CountingMember {
    static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Serializers.LONG);

    private CountingMember() {}

    private static Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        return properties;
    }

    public static void main(String[] args) throws Exception {
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        Configuration configuration = ConfigLoader.loadYaml(java.nio.file.Path.of(args[2]));
        KafkaStateful<String, String, String, Long> member = KafkaStateful.<String, String, String, Long>builder(
                        consumer, "clicks")
                .keys(new StringDeserializer(), Serializers.STRING)
                .values(new StringDeserializer())
                .configuration(configuration)
                .process((record, context) -> {
                    ValueState<Long> count = context.getState(COUNT);
                    long next = count.value() == null ? 1 : count.value() + 1;
                    count.update(next);
                    context.emit(record.key(), next);
                })
                .output("counts", new StringSerializer(), new LongSerializer())
                // Exactly-once: a killed member's open transaction blocks read_committed readers until it times out.
                .producerProperties(producerProperties())
                .build();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        // SIGTERM: a clean handover (checkpoint and release every partition) before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            member.close();
            try {
                stopped.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("member started");
        try {
            member.run();
        } finally {
            stopped.countDown();
        }
    }
}

package dev.cairn.examples;

import dev.cairn.config.ConfigLoader;
import dev.cairn.kafka.KafkaStateful;
import dev.cairn.state.Configuration;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The click aggregation on Kafka: any number of instances form a consumer group over the input topic; each keeps
 * the running total per user and one-minute event-time windows (count per user, fired by timers) in Cairn state,
 * checkpointed per input partition to a shared directory or S3, and writes {@code total <n>} and
 * {@code window <end> <count>} records to the output topic. Kill an instance: the others take its partitions over
 * with their state. {@code --produce N} writes the demo's generated clicks to the input topic instead.
 */
@Command(
        name = "cairn-kafka-demo",
        mixinStandardHelpOptions = true,
        description = "Click aggregation as a stateful Kafka consumer group (run several; kill one).")
public final class KafkaClickDemo implements Callable<Integer> {
    static final ValueStateDescriptor<Long> TOTAL = new ValueStateDescriptor<>("total-amount", Serializers.LONG);
    static final MapStateDescriptor<Long, Long> WINDOWS =
            new MapStateDescriptor<>("window-counts", Serializers.LONG, Serializers.LONG);
    static final long WINDOW_MILLIS = 60_000;

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka's bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--input", description = "Input topic (default: ${DEFAULT-VALUE}).")
    String input = "clicks";

    @Option(names = "--output", description = "Output topic (default: ${DEFAULT-VALUE}).")
    String output = "click-totals";

    @Option(names = "--group", description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String group = "cairn-click-demo";

    @Option(
            names = "--config",
            description = "Cairn's YAML configuration (state backend, execution.checkpointing.dir shared by every"
                    + " instance, kafka.*); default: heap state, checkpoints in ./cairn-kafka-demo/checkpoints.")
    Path config;

    @Option(names = "--produce", description = "Write N generated clicks to the input topic and exit.")
    long produce;

    @Option(names = "--from", description = "The position of the first generated click (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--users", description = "Distinct users of generated clicks (default: ${DEFAULT-VALUE}).")
    int users = 1000;

    @Option(
            names = "--consumer-property",
            paramLabel = "KEY=VALUE",
            description = "A Kafka consumer property, e.g. session.timeout.ms=10000 (repeatable).")
    java.util.Map<String, String> consumerProperties = new java.util.HashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new KafkaClickDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (produce > 0) {
            produce();
            return 0;
        }
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.putAll(consumerProperties);
        Configuration configuration = config != null
                ? ConfigLoader.loadYaml(config)
                : new Configuration()
                        .setString("execution.checkpointing.dir", "cairn-kafka-demo/checkpoints")
                        .setString("pipeline.name", "click-demo");
        KafkaStateful<String, String, String, String> member = KafkaStateful.<String, String, String, String>builder(
                        consumer, input)
                .keys(new StringDeserializer(), Serializers.STRING)
                .values(new StringDeserializer())
                .configuration(configuration)
                .process((record, context) -> {
                    long amount = Long.parseLong(record.value());
                    ValueState<Long> total = context.getState(TOTAL);
                    long next = (total.value() == null ? 0 : total.value()) + amount;
                    total.update(next);
                    context.emit(record.key(), "total " + next);
                    MapState<Long, Long> windows = context.getState(WINDOWS);
                    long end =
                            record.timestamp() - Math.floorMod(record.timestamp(), WINDOW_MILLIS) + WINDOW_MILLIS - 1;
                    Long count = windows.get(end);
                    windows.put(end, count == null ? 1 : count + 1);
                    context.timers().registerEventTimeTimer(end);
                })
                .onTimer((key, timestamp, domain, context) -> {
                    MapState<Long, Long> windows = context.getState(WINDOWS);
                    context.emit(key, "window " + timestamp + " " + windows.get(timestamp));
                    windows.remove(timestamp);
                })
                .output(output, new StringSerializer(), new StringSerializer())
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: hand every partition over (checkpoint and release) before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            member.close();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.printf("cairn-kafka-demo: consuming %s as group %s, writing %s%n", input, group, output);
        try {
            member.run();
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    private void produce() {
        ClickEvents events = new ClickEvents(users);
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (long i = from; i < from + produce; i++) {
                producer.send(new ProducerRecord<>(
                        input, null, events.timestamp(i), "user-" + events.user(i), Long.toString(events.amount(i))));
            }
        }
        System.out.printf("cairn-kafka-demo: wrote %,d clicks to %s%n", produce, input);
    }
}

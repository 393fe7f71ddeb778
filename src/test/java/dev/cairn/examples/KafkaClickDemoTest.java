package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Kafka click demo as its README runs it: clicks produced with {@code --produce}, two instances of the demo in
 * their own JVMs, one killed (SIGKILL) after its first checkpoint, more clicks; the survivor takes its partitions
 * over with their checkpointed state, and every user's last total and first-minute window count equal what the
 * generated clicks add up to.
 */
class KafkaClickDemoTest {
    private static final int CLICKS = 20_000;
    private static final int USERS = 200;

    @TempDir
    Path directory;

    private Process instance(KafkaBroker broker, String name) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-Dorg.slf4j.simpleLogger.log.dev.cairn=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        KafkaClickDemo.class.getName(),
                        "--bootstrap-servers",
                        broker.bootstrapServers(),
                        "--config",
                        directory.resolve("cairn.yaml").toString(),
                        "--consumer-property",
                        "session.timeout.ms=6000")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile())
                .start();
    }

    private static void produce(KafkaBroker broker, long from) {
        assertThat(new CommandLine(new KafkaClickDemo())
                        .execute(
                                "--bootstrap-servers",
                                broker.bootstrapServers(),
                                "--produce",
                                Integer.toString(CLICKS),
                                "--from",
                                Long.toString(from),
                                "--users",
                                Integer.toString(USERS)))
                .isZero();
    }

    @Test
    void aKilledInstancesPartitionsMoveWithTheirStateAndEveryTotalIsExact() throws Exception {
        Files.write(
                directory.resolve("cairn.yaml"),
                List.of(
                        "execution.checkpointing.dir: "
                                + directory.resolve("checkpoints").toUri(),
                        "execution.checkpointing.ownership.lease-timeout: 6 s",
                        "kafka.checkpoint-interval: 1 s"));
        ClickEvents events = new ClickEvents(USERS);
        Map<String, String> expected = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        Map<String, Long> firstWindow = new HashMap<>();
        for (long i = 0; i < 2 * CLICKS; i++) {
            String user = "user-" + events.user(i);
            totals.merge(user, events.amount(i), Long::sum);
            if (events.timestamp(i) < KafkaClickDemo.WINDOW_MILLIS) {
                firstWindow.merge(user, 1L, Long::sum);
            }
        }
        totals.forEach((user, total) -> expected.put(user + " total", "total " + total));
        firstWindow.forEach((user, count) -> expected.put(user + " window", "window 59999 " + count));

        try (KafkaBroker broker = KafkaBroker.start(directory.resolve("broker"));
                KafkaConsumer<String, String> output = new KafkaConsumer<>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            broker.createTopic("clicks", 6);
            broker.createTopic("click-totals", 3);
            produce(broker, 0);
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < 3; partition++) {
                partitions.add(new TopicPartition("click-totals", partition));
            }
            output.assign(partitions);
            output.seekToBeginning(partitions);

            Process first = instance(broker, "first");
            Process second = instance(broker, "second");
            try {
                Map<String, String> latest = new HashMap<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                boolean killed = false;
                while (!latest.equals(expected)) {
                    assertThat(System.nanoTime())
                            .as("the demo's output: %s", Files.readString(directory.resolve("second.log")))
                            .isLessThan(deadline);
                    for (ConsumerRecord<String, String> record : output.poll(Duration.ofMillis(200))) {
                        String kind = record.value().startsWith("total") ? " total" : " window";
                        if (kind.equals(" total") || record.value().startsWith("window 59999 ")) {
                            latest.put(record.key() + kind, record.value());
                        }
                    }
                    if (!killed
                            && Files.readString(directory.resolve("first.log")).contains("Completed Checkpoint")) {
                        first.destroyForcibly(); // mid-run: its partitions move to the second with their state
                        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
                        killed = true;
                        produce(broker, CLICKS);
                    }
                }
                assertThat(killed).isTrue();
                assertThat(Files.readString(directory.resolve("second.log")))
                        .as("the survivor took partitions over from their checkpoints")
                        .contains("state restored from checkpoint");
            } finally {
                first.destroyForcibly();
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}

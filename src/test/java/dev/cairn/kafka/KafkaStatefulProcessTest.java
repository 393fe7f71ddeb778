package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Consumer-group members in their own JVMs against a real KRaft broker: killed (SIGKILL, three times by default, each at
 * a random point of the output stream drawn from a logged seed), added, frozen past
 * their session and lease timeouts (SIGSTOP, a zombie) and thawed, stopped cleanly, with a broker restart in
 * between — on the heap backend with the changelog, RocksDB and the heap, checkpoints in a directory and in S3. The final count of
 * every key — the last record of the key in the output topic — equals the number of input records of that key, and
 * the zombie gives its partitions up without overwriting the new owner's state. Exactly-once: a read_committed
 * reader of the output sees each key's counts 1, 2, 3, … once each.
 */
class KafkaStatefulProcessTest {
    private static final int KEYS = 100;
    private static final Duration AWAIT = Duration.ofSeconds(120);
    /**
     * Where the SIGKILLs land: a random point in the output stream, from this seed ({@code -Dcairn.kafka.seed=…} repeats
     * a run; it is in every failure's message).
     */
    private static final long SEED = Long.getLong("cairn.kafka.seed", System.nanoTime());
    /** How many extra kill-and-replace rounds end the run ({@code -Dcairn.kafka.kill-rounds=…} for a longer soak). */
    private static final int KILL_ROUNDS = Integer.getInteger("cairn.kafka.kill-rounds", 1);

    private final Random random = new Random(SEED);
    /** Output records read so far, duplicates included: the clock the kill points are drawn on. */
    private long outputRecords;

    @TempDir
    Path directory;

    private final List<Process> members = new ArrayList<>();
    /** The members' logs, kept in target/ for a look after a failure. */
    private Path logs;

    private Path memberConfig;
    private boolean exactlyOnce;
    /** Exactly-once: output records that are not the next count of their key (a duplicate or a gap). */
    private final List<String> notNextCount = new ArrayList<>();

    private KafkaBroker broker;
    private final Map<String, Long> produced = new HashMap<>();
    private final Map<String, Long> lastCounts = new HashMap<>();
    private KafkaConsumer<String, Long> output;

    @AfterEach
    void stopEverything() throws Exception {
        for (Process member : members) {
            member.destroyForcibly();
        }
        if (output != null) {
            output.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Process startMember(String name) throws Exception {
        Path log = logs.resolve(name + ".log");
        Process member = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.dev.cairn=info",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CountingMember.class.getName(),
                        broker.bootstrapServers(),
                        "counters",
                        memberConfig.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        members.add(member);
        return member;
    }

    /** The members' Cairn configuration: the backend, checkpoints in a directory or an S3 bucket, short timeouts. */
    private Path writeMemberConfig(String backend, String storage, String guarantee) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "state.backend.type: " + (backend.equals("changelog") ? "hashmap" : backend),
                "kafka.processing.guarantee: " + guarantee,
                "pipeline.name: counting",
                "execution.checkpointing.ownership.lease-timeout: 6 s",
                "kafka.checkpoint-interval: 1 s"));
        if (backend.equals("changelog")) {
            lines.add("state.changelog.enabled: true");
            lines.add("state.changelog.storage: filesystem");
            lines.add("state.changelog.dstl.dfs.base-path: "
                    + directory.resolve("changelog").toUri());
        }
        if (storage.equals("s3")) {
            String bucket = S3TestServer.createBucket();
            lines.add("execution.checkpointing.dir: s3://" + bucket + "/checkpoints");
            S3TestServer.configuration().toMap().forEach((key, value) -> lines.add(key + ": " + value));
        } else {
            lines.add("execution.checkpointing.dir: "
                    + directory.resolve("checkpoints").toUri());
        }
        Path file = directory.resolve("cairn.yaml");
        Files.write(file, lines);
        return file;
    }

    private void produce(int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                String key = "user-"
                        + (produced.values().stream().mapToLong(Long::longValue).sum() % KEYS);
                produced.merge(key, 1L, Long::sum);
                producer.send(new ProducerRecord<>("clicks", key, "click"));
            }
            producer.flush();
        }
    }

    /** Reads what is new in the output topic; the last count of each key wins. */
    private void readOutput() {
        for (ConsumerRecord<String, Long> record : output.poll(Duration.ofMillis(200))) {
            outputRecords++;
            Long previous = lastCounts.put(record.key(), record.value());
            if (exactlyOnce && record.value() != (previous == null ? 0 : previous) + 1) {
                notNextCount.add(record.key() + ": " + previous + " then " + record.value());
            }
        }
    }

    private void await(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Waited " + AWAIT + " for " + what + " (seed " + SEED + "); counts "
                        + lastCounts + " of " + produced + "\n" + memberLogs());
            }
            for (Process member : members) {
                member.waitFor(0, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The members' logs, for a failure's message. */
    private String memberLogs() {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path log : files.filter(path -> path.toString().endsWith(".log"))
                    .sorted()
                    .toList()) {
                String content = Files.readString(log);
                text.append("--- ")
                        .append(log.getFileName())
                        .append('\n')
                        .append(content.length() > 6000 ? content.substring(content.length() - 6000) : content);
            }
        } catch (java.io.IOException e) {
            text.append(e);
        }
        return text.toString();
    }

    /** Waits until a member has completed a checkpoint, so that its partitions move with state. */
    private void awaitCheckpoint(String member) throws Exception {
        Path log = logs.resolve(member + ".log");
        await(member + " to complete a checkpoint", () -> {
            try {
                return Files.readString(log).contains("Completed Checkpoint");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private void awaitExactCounts() throws Exception {
        await("every key's count to equal its input records", () -> {
            readOutput();
            return lastCounts.equals(produced);
        });
    }

    /**
     * Produces {@code records} more input and SIGKILLs {@code member} at a random point of their processing: once the
     * output has grown by a random number of records below {@code records} (no checkpoint awaited, so the kill may fall
     * before, during or after a checkpoint, a transaction commit or a rebalance).
     */
    private void killAtARandomPoint(Process member, int records) throws Exception {
        long start = outputRecords;
        int point = random.nextInt(records);
        produce(records);
        await("the output to reach the kill point " + point, () -> {
            readOutput();
            return outputRecords - start >= point;
        });
        member.destroyForcibly();
        assertThat(member.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void signal(Process process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @CsvSource({
        "changelog, file, at_least_once",
        "rocksdb, s3, at_least_once",
        "rocksdb, file, exactly_once",
        "hashmap, s3, exactly_once"
    })
    void stateFollowsThePartitionsThroughKillsScalingAZombieAndABrokerRestart(
            String backend, String storage, String guarantee) throws Exception {
        exactlyOnce = guarantee.equals("exactly_once");
        if (storage.equals("s3")) {
            S3TestServer.assumeAvailable();
        }
        logs = Files.createDirectories(Path.of("target", "member-logs", backend + "-" + storage + "-" + guarantee));
        memberConfig = writeMemberConfig(backend, storage, guarantee);
        broker = KafkaBroker.start(directory.resolve("broker"));
        broker.createTopic("clicks", 6);
        broker.createTopic("counts", 3);
        output = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new LongDeserializer());
        List<TopicPartition> outputPartitions = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            outputPartitions.add(new TopicPartition("counts", partition));
        }
        output.assign(outputPartitions);
        output.seekToBeginning(outputPartitions);

        produce(5_000);
        Process first = startMember("first");
        Process second = startMember("second");
        await("output from the first members", () -> {
            readOutput();
            return lastCounts.size() == KEYS;
        });

        awaitCheckpoint("first");
        awaitCheckpoint("second");

        // SIGKILL at a random point while input arrives, and a third member: 2 → 1 → 2 members.
        killAtARandomPoint(first, 5_000);
        Process third = startMember("third");
        awaitExactCounts();

        // A zombie: frozen past its session and lease timeouts, its partitions move; thawed, it must give them up.
        signal(second, "STOP");
        produce(5_000);
        awaitExactCounts();
        assertThat(Files.readString(logs.resolve("third.log")))
                .as("the third member took over partitions with their checkpointed state")
                .contains("state restored from checkpoint");
        signal(second, "CONT");
        Path secondLog = logs.resolve("second.log");
        await("the thawed member to give up its partitions", () -> {
            try {
                String log = Files.readString(secondLog);
                // Either the consumer learns it was fenced first (onPartitionsLost: "Partitions [...] were lost") or
                // its next checkpoint finds the lease taken ("Partition ... has a new owner"): both give them up.
                return log.contains("were lost") || log.contains("has a new owner");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        // The broker restarts mid-run: nothing is lost.
        broker.restart();
        produce(5_000);
        awaitExactCounts();

        // 2 → 3 members, then a SIGKILL at a random point: 3 → 2.
        Process fourth = startMember("fourth");
        killAtARandomPoint(second, 5_000);
        awaitExactCounts();

        // A clean stop hands every partition over; the survivor finishes the rest: 2 → 1.
        third.destroy();
        assertThat(third.waitFor(60, TimeUnit.SECONDS)).isTrue();
        produce(5_000);
        awaitExactCounts();
        assertThat(fourth.isAlive()).isTrue();

        // Kill-and-replace rounds: a new member joins, the old survivor dies at a random point: 1 → 2 → 1.
        Process survivor = fourth;
        for (int round = 1; round <= KILL_ROUNDS; round++) {
            Process next = startMember("replacement-" + round);
            killAtARandomPoint(survivor, 5_000);
            awaitExactCounts();
            survivor = next;
        }
        assertThat(survivor.isAlive()).isTrue();
        assertThat(produced.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(30_000 + 5_000L * KILL_ROUNDS);
        // Exactly-once: a read_committed reader saw every count once, in order — no duplicate, no gap.
        assertThat(notNextCount).isEmpty();
    }
}

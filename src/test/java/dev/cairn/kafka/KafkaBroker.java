package dev.cairn.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node KRaft broker (Kafka 4.4.0, the test classpath's {@code kafka_2.13}) in a child JVM, listening
 * on 127.0.0.1 only: formatted, started, restarted on the same ports and log directory, and stopped by the tests.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(Path directory, int port, int controllerPort) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a new broker's storage under {@code directory} and starts it. */
    public static KafkaBroker start(Path directory) throws Exception {
        KafkaBroker broker = new KafkaBroker(directory, freePort(), freePort());
        broker.format();
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic with {@code partitions} partitions (replication factor 1). */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Stops the broker (SIGTERM, a clean shutdown) and starts it again on the same ports and data. */
    void restart() throws Exception {
        stopProcess();
        startProcess();
    }

    @Override
    public void close() throws Exception {
        stopProcess();
    }

    private Path config() throws IOException {
        Path file = directory.resolve("server.properties");
        if (Files.exists(file)) {
            return file;
        }
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("log.dirs", directory.resolve("data").toString());
        properties.setProperty("num.partitions", "1");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("offsets.topic.num.partitions", "3");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("transaction.state.log.num.partitions", "3");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        properties.setProperty("group.consumer.session.timeout.ms", "6000");
        properties.setProperty("group.consumer.min.session.timeout.ms", "3000");
        properties.setProperty("group.consumer.heartbeat.interval.ms", "500");
        properties.setProperty("group.consumer.min.heartbeat.interval.ms", "500");
        properties.setProperty("group.min.session.timeout.ms", "3000");
        properties.setProperty("auto.create.topics.enable", "false");
        try (var out = Files.newBufferedWriter(file)) {
            properties.store(out, "Cairn test broker");
        }
        return file;
    }

    private void format() throws Exception {
        Files.createDirectories(directory);
        Path config = config();
        String clusterId = base64Uuid();
        Process format = java("kafka.tools.StorageTool", "format", "--cluster-id=" + clusterId, "--config=" + config)
                .redirectOutput(directory.resolve("format.log").toFile())
                .redirectErrorStream(true)
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException(
                    "Formatting the broker's storage failed: " + Files.readString(directory.resolve("format.log")));
        }
    }

    private void startProcess() throws Exception {
        process = java("kafka.Kafka", config().toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        directory.resolve("broker.log").toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The broker exited: " + tail(Files.readString(directory.resolve("broker.log"))));
            }
            if (ready()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker did not start within " + START_TIMEOUT + ": "
                        + tail(Files.readString(directory.resolve("broker.log"))));
            }
            process.waitFor(200, TimeUnit.MILLISECONDS); // a bounded wait for the port, not a sleep
        }
    }

    private boolean ready() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(directory.toFile());
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A random cluster id: 16 bytes, URL-safe base64 without padding (Kafka's {@code Uuid.randomUuid()}). */
    private static String base64Uuid() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}

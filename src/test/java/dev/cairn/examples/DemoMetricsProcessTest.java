package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.s3.PrivateS3Proxy;
import dev.cairn.s3.S3TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo job as a separate JVM with {@code --metrics-port}: its {@code /metrics} scraped over HTTP on 127.0.0.1
 * while it runs (Prometheus text format through Micrometer), its {@code /health} through a store outage.
 */
class DemoMetricsProcessTest {
    private static final Duration AWAIT = Duration.ofSeconds(90);
    private static final Pattern PORT = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process demo;
    private String base;

    @AfterEach
    void stopTheDemo() throws Exception {
        if (demo != null) {
            demo.destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the demo (slowed by --rate so that it runs while it is watched) and finds its metrics port. */
    private void startDemo(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                ClickStreamDemo.class.getName(),
                "--users",
                "5000",
                "--metrics-port",
                "0"));
        command.addAll(List.of(options));
        demo = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        String port = await(
                "the demo to print its metrics port",
                () -> output.stream()
                        .map(PORT::matcher)
                        .filter(Matcher::find)
                        .map(matcher -> matcher.group(1))
                        .findFirst()
                        .orElse(null));
        base = "http://127.0.0.1:" + port;
    }

    /** Polls {@code probe} until it gives a value, failing with the demo's output after {@link #AWAIT}. */
    private <T> T await(String what, Supplier<T> probe) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0 || (demo != null && !demo.isAlive())) {
                throw new AssertionError("Waited for " + what + "; the demo printed:\n" + String.join("\n", output));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // between polls of a running process
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One scrape: every sample, keyed by its name and labels as the text format writes them. */
    private Map<String, Double> scrape() {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    private static double sample(Map<String, Double> samples, String series) {
        assertThat(samples).as("the scrape has " + series).containsKey(series);
        return samples.get(series);
    }

    private JsonNode health() {
        HttpResponse<String> response = get("/health");
        try {
            JsonNode health = JSON.readTree(response.body());
            assertThat(response.statusCode())
                    .as("/health answers 503 exactly when DOWN: " + health)
                    .isEqualTo(health.get("status").asText().equals("DOWN") ? 503 : 200);
            return health;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void metricsScrapedWhileTheDemoRunsMoveWithItsCheckpoints(String backend) throws Exception {
        Files.writeString(
                directory.resolve("cairn.yaml"),
                String.join(
                        "\n",
                        "state.backend.type: " + backend,
                        "pipeline.name: click-demo",
                        "execution.checkpointing.dir: "
                                + directory.resolve("checkpoints").toUri(),
                        "execution.checkpointing.interval: 300 ms",
                        ""));
        startDemo("--records", "2000000", "--rate", "20000", "--config", "cairn.yaml");
        String job = "{pipeline_name=\"click-demo\"}";
        double first = await("a completed checkpoint", () -> {
            double completed = scrape().getOrDefault("cairn_numberOfCompletedCheckpoints_total" + job, 0.0);
            return completed >= 1 ? completed : null;
        });
        await(
                "more completed checkpoints",
                () -> scrape().getOrDefault("cairn_numberOfCompletedCheckpoints_total" + job, 0.0) > first
                        ? Boolean.TRUE
                        : null);

        Map<String, Double> samples = scrape();
        double count = sample(samples, "cairn_checkpointDuration_seconds_count" + job);
        double sum = sample(samples, "cairn_checkpointDuration_seconds_sum" + job);
        assertThat(count).isGreaterThanOrEqualTo(2);
        assertThat(sum / count).as("mean checkpoint duration, seconds").isBetween(0.0, 10.0);
        assertThat(sample(samples, "cairn_checkpointDuration_seconds_max" + job))
                .isBetween(0.0, 30.0);
        assertThat(sample(samples, "cairn_checkpointSyncDuration_seconds_max" + job))
                .isBetween(0.0, 5.0);
        assertThat(sample(samples, "cairn_lastCheckpointFullSize_bytes" + job)).isPositive();
        assertThat(sample(samples, "cairn_numberOfFailedCheckpoints_total" + job))
                .isZero();
        assertThat(sample(samples, "cairn_lastCompletedCheckpointAge_milliseconds" + job))
                .isBetween(0.0, 30_000.0);
        String operator = "operator_id=\"clicks\",pipeline_name=\"click-demo\"";
        if (backend.equals("hashmap")) {
            String totals = "{" + operator + ",state_name=\"total-amount\",subtask_index=\"0\"}";
            assertThat(sample(samples, "cairn_heap_state_entries" + totals)).isBetween(1.0, 5000.0);
            assertThat(sample(samples, "cairn_heap_state_size_estimate_bytes" + totals))
                    .isPositive();
        } else {
            String instance = "{" + operator + ",subtask_index=\"0\"}";
            double total = sample(samples, "cairn_memory_managed_total_bytes" + instance);
            assertThat(total).isPositive();
            assertThat(sample(samples, "cairn_memory_managed_used_bytes" + instance))
                    .isBetween(0.0, total);
        }

        JsonNode health = health();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("reason").asText()).contains("completed");
        JsonNode checkpoints = JSON.readTree(get("/checkpoints").body());
        assertThat(checkpoints.get("checkpoints")).isNotEmpty();
    }

    @Test
    void healthGoesDegradedThenDownWhileTheStoreIsGoneAndUpWhenItIsBack() throws Exception {
        try (PrivateS3Proxy store = new PrivateS3Proxy(directory.resolve("s3proxy"))) {
            S3TestServer.client(store.endpoint()).createBucket(b -> b.bucket("demo"));
            List<String> config = new ArrayList<>(List.of(
                    "pipeline.name: click-demo",
                    "execution.checkpointing.dir: s3://demo/checkpoints",
                    "execution.checkpointing.interval: 1 s",
                    // a dead store refuses connections at once; few attempts keep a failure quick
                    S3Options.MAX_ATTEMPTS.key() + ": 2",
                    S3Options.ATTEMPT_TIMEOUT.key() + ": 20 s"));
            S3TestServer.configuration(store.endpoint())
                    .toMap()
                    .forEach((key, value) -> config.add(key + ": " + value));
            Files.write(directory.resolve("cairn.yaml"), config);
            startDemo("--records", "5000000", "--rate", "20000", "--config", "cairn.yaml");
            String job = "{pipeline_name=\"click-demo\"}";
            await(
                    "a completed checkpoint",
                    () -> "UP".equals(health().get("status").asText())
                                    && scrape().getOrDefault("cairn_numberOfCompletedCheckpoints_total" + job, 0.0) >= 1
                            ? Boolean.TRUE
                            : null);

            store.kill();
            List<String> seen = new ArrayList<>();
            JsonNode degraded = await("health DEGRADED after a failed checkpoint", () -> {
                JsonNode health = health();
                seen.add(health.get("status").asText());
                return health.get("status").asText().equals("DEGRADED") ? health : null;
            });
            assertThat(seen).as("statuses seen since the store died").doesNotContain("DOWN");
            assertThat(degraded.get("reason").asText()).contains("failed");
            assertThat(sample(scrape(), "cairn_numberOfFailedCheckpoints_total" + job))
                    .isGreaterThanOrEqualTo(1);
            JsonNode down = await("health DOWN after three intervals without a checkpoint", () -> {
                JsonNode health = health();
                return health.get("status").asText().equals("DOWN") ? health : null;
            });
            assertThat(down.get("reason").asText()).contains("no checkpoint completed");
            double failed = sample(scrape(), "cairn_numberOfFailedCheckpoints_total" + job);
            await(
                    "the failure counter to rise with every failed checkpoint",
                    () -> sample(scrape(), "cairn_numberOfFailedCheckpoints_total" + job) > failed
                            ? Boolean.TRUE
                            : null);

            store.start();
            JsonNode up = await("health UP once checkpoints complete again", () -> {
                JsonNode health = health();
                return health.get("status").asText().equals("UP") ? health : null;
            });
            assertThat(up.get("reason").asText()).contains("completed");
            assertThat(demo.isAlive()).isTrue();
        }
    }
}

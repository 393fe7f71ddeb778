package dev.cairn.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.config.Health;
import dev.cairn.config.StateEnvironment;
import dev.cairn.metrics.micrometer.CairnMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's monitoring endpoints, served by the JDK's HTTP server: {@code /metrics} (Prometheus text format,
 * through Micrometer's Prometheus registry and Cairn's binder), {@code /health} (JSON {@code {"status", "reason"}};
 * HTTP 200 when UP or DEGRADED, 503 when DOWN, as load balancers and Kubernetes probes expect) and
 * {@code /checkpoints} (the checkpoint history as JSON).
 */
final class MetricsEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads;
    private final CairnMetrics binder;

    private MetricsEndpoint(HttpServer server, ExecutorService threads, CairnMetrics binder) {
        this.server = server;
        this.threads = threads;
        this.binder = binder;
    }

    /**
     * Serves the environment's metrics and health on {@code host:port} (port 0: any free port).
     *
     * @throws IOException when the port cannot be bound
     */
    static MetricsEndpoint start(StateEnvironment environment, String host, int port) throws IOException {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CairnMetrics binder = CairnMetrics.of(environment);
        binder.bindTo(prometheus);
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
        server.createContext("/health", exchange -> {
            Health health = environment.health();
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", health.status().name());
            body.put("reason", health.reason());
            respond(
                    exchange,
                    health.status() == Health.Status.DOWN ? 503 : 200,
                    "application/json",
                    JSON.writeValueAsString(body));
        });
        server.createContext(
                "/checkpoints",
                exchange -> respond(
                        exchange,
                        200,
                        "application/json",
                        environment.getCheckpointHistory().toJson()));
        ExecutorService threads = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cairn-demo-metrics");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new MetricsEndpoint(server, threads, binder);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** {@return the port the endpoints listen on} */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        binder.close();
    }
}

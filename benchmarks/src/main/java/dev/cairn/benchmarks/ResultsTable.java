package dev.cairn.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results into the Markdown table of {@code benchmarks/README.md}: each Cairn result next to Flink's
 * result of the same benchmark and parameters (from the {@code benchmarks-flink} jar), with the ratio, and heap
 * results next to the plain-{@code HashMap} limit measured in the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.ResultsTable cairn.json
 * [flink.json [chart.png]]}; the chart shows the Cairn-vs-Flink ratio of every paired row ({@link RatioChart}). Ratios are "Cairn's advantage": above 1 means Cairn is faster (for throughput, Cairn/Flink; for
 * time per operation, Flink/Cairn).
 */
public final class ResultsTable {
    private static final String FLINK_PACKAGE = ".flink.";

    private record Result(String benchmark, Map<String, String> params, double score, double error, String unit) {
        String simpleName() {
            String[] parts = benchmark.split("\\.");
            return parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        String key() {
            return simpleName() + " " + params;
        }

        boolean higherIsBetter() {
            return unit.endsWith("/us") || unit.endsWith("/s") || unit.endsWith("/ms");
        }
    }

    private ResultsTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: ResultsTable <cairn.json> [<flink.json> [<chart.png>]]");
            System.exit(2);
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode cairn = mapper.readTree(Path.of(args[0]).toFile());
        JsonNode flink = args.length > 1 ? mapper.readTree(Path.of(args[1]).toFile()) : mapper.createArrayNode();
        Map<String, Result> flinkResults = new LinkedHashMap<>();
        for (JsonNode node : flink) {
            Result result = parse(node);
            flinkResults.put(result.key(), result);
        }
        Map<String, Result> cairnResults = new TreeMap<>();
        for (JsonNode node : cairn) {
            Result result = parse(node);
            if (!result.benchmark().contains(FLINK_PACKAGE)) {
                cairnResults.put(result.key(), result);
            }
        }
        String jvm = cairn.isEmpty()
                ? "?"
                : cairn.get(0).path("vmName").asText() + " "
                        + cairn.get(0).path("vmVersion").asText();
        System.out.println("Run " + LocalDate.now() + ", " + jvm + ", "
                + Runtime.getRuntime().availableProcessors() + " cores. Ratios above 1: Cairn is faster.");
        System.out.println();
        System.out.println("| benchmark | parameters | Cairn | Flink 2.x | Cairn vs Flink | Cairn vs its limit |");
        System.out.println("|---|---|---|---|---|---|");
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (Result result : cairnResults.values()) {
            if (result.simpleName().startsWith("ValueStateBenchmark.hashMap")) {
                continue; // shown as the limit column
            }
            // RawRocksDBBenchmark stays: next to Flink's run of the same code it compares the RocksDB builds.
            Result flinkResult = flinkResults.get(result.key());
            System.out.println("| " + result.simpleName() + " | " + result.params() + " | " + format(result) + " | "
                    + (flinkResult == null ? "—" : format(flinkResult)) + " | "
                    + (flinkResult == null ? "—" : ratio(result, flinkResult)) + " | "
                    + limit(result, cairnResults) + " |");
            if (flinkResult != null) {
                ratios.put(result.simpleName() + " " + result.params(), advantage(result, flinkResult));
            }
        }
        if (args.length == 3) {
            RatioChart.write(ratios, Path.of(args[2]));
        }
    }

    private static Result parse(JsonNode node) {
        Map<String, String> params = new TreeMap<>();
        node.path("params")
                .fields()
                .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        JsonNode metric = node.path("primaryMetric");
        return new Result(
                node.path("benchmark").asText(),
                params,
                metric.path("score").asDouble(),
                metric.path("scoreError").asDouble(),
                metric.path("scoreUnit").asText());
    }

    private static String format(Result result) {
        return String.format(Locale.ROOT, "%.3f ± %.3f %s", result.score(), result.error(), result.unit());
    }

    /** How many times faster Cairn is than {@code other} (above 1: faster). */
    private static double advantage(Result cairn, Result other) {
        return cairn.higherIsBetter() ? cairn.score() / other.score() : other.score() / cairn.score();
    }

    private static String ratio(Result cairn, Result other) {
        return String.format(Locale.ROOT, "%.2f×", advantage(cairn, other));
    }

    /**
     * For {@code ValueStateBenchmark} results, the backend's throughput as a fraction of its physical limit measured
     * in the same run: a plain {@code HashMap} for the heap backend, raw RocksDB get/put with the same options
     * ({@code RawRocksDBBenchmark}) for the RocksDB backend.
     */
    private static String limit(Result result, Map<String, Result> all) {
        String name = result.simpleName();
        if (!(name.equals("ValueStateBenchmark.valueGet") || name.equals("ValueStateBenchmark.valueUpdate"))) {
            return "—";
        }
        boolean get = name.endsWith("valueGet");
        Result limit = switch (result.params().getOrDefault("backendType", "")) {
            case "hashmap" ->
                all.get((get ? "ValueStateBenchmark.hashMapGet" : "ValueStateBenchmark.hashMapPut") + " "
                        + result.params());
            case "rocksdb" ->
                all.get((get ? "RawRocksDBBenchmark.rawGet" : "RawRocksDBBenchmark.rawPut") + " "
                        + Map.of("keys", result.params().get("keys")));
            default -> null;
        };
        return limit == null ? "—" : ratio(result, limit);
    }
}

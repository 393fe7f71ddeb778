package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo job as a separate JVM, kills it mid-way (twice), restarts it, and checks that its final results
 * equal those of an uninterrupted run: state and source position are restored exactly from the checkpoints.
 */
class DemoCrashRecoveryTest {
    private static final List<String> JOB =
            List.of("--records", "600000", "--users", "2000", "--window", "PT10S", "--checkpoint-every", "50000");

    @TempDir
    Path directory;

    private record Run(int exitCode, String output) {}

    private Run run(Path workingDirectory, String... extra) throws IOException, InterruptedException {
        Files.createDirectories(workingDirectory);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                ClickStreamDemo.class.getName()));
        command.addAll(JOB);
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void resultsAfterCrashesEqualAnUninterruptedRun() throws Exception {
        Path clean = directory.resolve("clean");
        Run uninterrupted = run(clean, "--output", "results.txt");
        assertThat(uninterrupted.exitCode()).as(uninterrupted.output()).isZero();
        List<String> expected = Files.readAllLines(clean.resolve("results.txt"));
        assertThat(expected).hasSize(2000);

        Path crashing = directory.resolve("crashing");
        Run first = run(crashing, "--crash-after", "170000");
        assertThat(first.exitCode()).as(first.output()).isEqualTo(137);
        Run second = run(crashing, "--crash-after", "230000");
        assertThat(second.exitCode()).as(second.output()).isEqualTo(137);
        assertThat(second.output()).contains("resumed from checkpoint 3 at record 150000");
        Run last = run(crashing, "--output", "results.txt");
        assertThat(last.exitCode()).as(last.output()).isZero();
        assertThat(last.output()).contains("resumed from checkpoint").contains("at record 350000");
        assertThat(Files.readAllLines(crashing.resolve("results.txt"))).isEqualTo(expected);

        // The same job on RocksDB, crashed once: the same results.
        Path rocks = directory.resolve("rocksdb");
        Run crashed = run(rocks, "--backend", "rocksdb", "--crash-after", "420000");
        assertThat(crashed.exitCode()).as(crashed.output()).isEqualTo(137);
        assertThat(crashed.output()).contains("backend rocksdb");
        Run resumed = run(rocks, "--backend", "rocksdb", "--output", "results.txt");
        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("at record 400000");
        assertThat(Files.readAllLines(rocks.resolve("results.txt"))).isEqualTo(expected);

        // With the changelog (file system, materializing every 100 ms), crashed once: the same results.
        Path changelog = directory.resolve("changelog");
        Files.createDirectories(changelog);
        Files.writeString(
                changelog.resolve("cairn.yaml"),
                String.join(
                        "\n",
                        "pipeline.name: click-demo",
                        "execution.checkpointing.dir: "
                                + changelog.resolve("checkpoints").toUri(),
                        "execution.checkpointing.num-retained: 2",
                        "state.backend.type: hashmap",
                        "state.changelog.enabled: true",
                        "state.changelog.storage: filesystem",
                        "state.changelog.dstl.dfs.base-path: "
                                + changelog.resolve("changelog-files").toUri(),
                        "state.changelog.periodic-materialize.interval: 100 ms",
                        ""));
        Run killed = run(changelog, "--config", "cairn.yaml", "--crash-after", "270000");
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(137);
        Run recovered = run(changelog, "--config", "cairn.yaml", "--output", "results.txt");
        assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        assertThat(recovered.output()).contains("at record 250000");
        assertThat(Files.readAllLines(changelog.resolve("results.txt"))).isEqualTo(expected);

        // Incremental heap checkpoints, crashed once after several deltas: the same results, restored from chains
        // of files in shared/.
        Path incremental = directory.resolve("heap-incremental");
        Files.createDirectories(incremental);
        Files.writeString(
                incremental.resolve("cairn.yaml"),
                String.join(
                        "\n",
                        "pipeline.name: click-demo",
                        "execution.checkpointing.dir: "
                                + incremental.resolve("checkpoints").toUri(),
                        "execution.checkpointing.num-retained: 2",
                        "state.backend.type: hashmap",
                        "execution.checkpointing.incremental: true",
                        ""));
        Run cut = run(incremental, "--config", "cairn.yaml", "--crash-after", "330000");
        assertThat(cut.exitCode()).as(cut.output()).isEqualTo(137);
        try (java.util.stream.Stream<Path> files = Files.walk(incremental.resolve("checkpoints"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .filter(file ->
                                    file.getParent().getFileName().toString().equals("shared"))
                            .count())
                    .as("the retained checkpoints' chains: a base file and deltas")
                    .isGreaterThan(1);
        }
        Run restored = run(incremental, "--config", "cairn.yaml", "--output", "results.txt");
        assertThat(restored.exitCode()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("at record 300000");
        assertThat(Files.readAllLines(incremental.resolve("results.txt"))).isEqualTo(expected);
    }
}

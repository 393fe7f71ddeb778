package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The demo's command line as a user meets it: one-line errors, {@code -V}, the --checkpoint-dir warning. */
class DemoCommandLineTest {
    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        CommandLine commandLine = ClickStreamDemo.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--users | 0 | --users must be at least 1, not 0",
                "--window | PT0S | --window must be a positive duration, not PT0S",
                "--records | -5 | --records must be 0 or more, not -5",
                "--checkpoint-every | -1 | --checkpoint-every must be 0 (use the configured interval) or more, not -1",
                "--crash-after | 0 | --crash-after must be at least 1, not 0"
            })
    void invalidOptionsAreOneLineErrors(String option, String value, String message) {
        Result result = run(option, value, "--checkpoint-dir", "unused");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines())
                .containsExactly("cairn-demo: " + message, "Try 'cairn-demo --help' for the options.");
    }

    @Test
    void aFailureIsOneLineUnlessVerbose() throws Exception {
        Path notYaml = directory.resolve("broken.yaml");
        Files.writeString(notYaml, "state.backend.type: [unclosed");
        Result quiet = run("--config", notYaml.toString(), "--records", "10");
        assertThat(quiet.exitCode()).isEqualTo(1);
        assertThat(quiet.err().lines().toList()).hasSize(2);
        assertThat(quiet.err()).startsWith("cairn-demo: error: Configuration file " + notYaml + " is not valid YAML");
        Result verbose = run("--config", notYaml.toString(), "--records", "10", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(1);
        assertThat(verbose.err()).contains("\tat dev.cairn.config.ConfigLoader");
    }

    @Test
    void dashCapitalVPrintsTheVersion() {
        Result result = run("-V");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .startsWith("cairn-demo ")
                .doesNotContain("unknown")
                .doesNotContain("${");
    }

    @Test
    void aCheckpointDirectoryTheConfigFileOverridesIsAWarning() throws Exception {
        Path config = directory.resolve("cairn.yaml");
        Files.writeString(
                config,
                "pipeline.name: demo\nexecution.checkpointing.dir: "
                        + directory.resolve("from-file").toUri() + "\n");
        Result result = run(
                "--config",
                config.toString(),
                "--checkpoint-dir",
                directory.resolve("from-flag").toString(),
                "--records",
                "1000",
                "--users",
                "10");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("--checkpoint-dir " + directory.resolve("from-flag") + " is ignored");
        assertThat(directory.resolve("from-file").resolve("demo")).isDirectory();
        assertThat(directory.resolve("from-flag")).doesNotExist();
    }
}

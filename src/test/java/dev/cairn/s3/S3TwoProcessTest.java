package dev.cairn.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cluster setup: two JVMs, each owning half of the key groups, checkpoint to the same bucket; three other JVMs
 * then restore from both checkpoints, each taking a third of the key groups, and check every value.
 */
class S3TwoProcessTest {
    private static final int KEYS = 20_000;

    private record Result(int exitCode, String output) {}

    private static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                S3Worker.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Result finish(Process process) throws IOException, InterruptedException {
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String line(Result result, String prefix) {
        Matcher matcher =
                Pattern.compile("^" + prefix + " (\\S+)$", Pattern.MULTILINE).matcher(result.output());
        assertThat(matcher.find()).as(result.output()).isTrue();
        return matcher.group(1);
    }

    @Test
    void twoProcessesCheckpointToOneBucketAndThreeProcessesRestoreFromIt() throws Exception {
        S3TestServer.assumeAvailable();
        String directory = "s3://" + S3TestServer.createBucket() + "/jobs/" + UUID.randomUUID();
        List<Process> writers = List.of(
                start("checkpoint", directory + "/writer-0", "0", "2", String.valueOf(KEYS)),
                start("checkpoint", directory + "/writer-1", "1", "2", String.valueOf(KEYS)));
        List<String> pointers = new ArrayList<>();
        for (Process writer : writers) {
            Result result = finish(writer);
            assertThat(result.exitCode()).as(result.output()).isZero();
            pointers.add(line(result, "POINTER"));
        }
        assertThat(pointers).allMatch(pointer -> pointer.startsWith(directory));

        List<Process> readers = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            List<String> args = new ArrayList<>(List.of("restore", String.valueOf(index), "3", String.valueOf(KEYS)));
            args.addAll(pointers);
            readers.add(start(args.toArray(String[]::new)));
        }
        int restored = 0;
        for (Process reader : readers) {
            Result result = finish(reader);
            assertThat(result.exitCode()).as(result.output()).isZero();
            restored += Integer.parseInt(line(result, "RESTORED"));
        }
        assertThat(restored)
                .as("every key restored exactly once across the three")
                .isEqualTo(KEYS);
    }
}

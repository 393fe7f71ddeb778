package dev.cairn.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.fs.StoragePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo job on RocksDB with incremental checkpoints and the changelog, killed again and again (SIGKILL-like:
 * no shutdown hooks). After every crash nothing an earlier run left behind survives: every file in the checkpoint
 * directory and the changelog directory that no completed checkpoint references was written by the run that just
 * crashed (the restart deletes the rest); the temporary directory holds no per-process copy of RocksDB's native
 * library and no RocksDB working directory of an earlier run. The final run's results equal an uninterrupted
 * run's. {@code -Dcairn.crashloop.runs=N} sets the number of crashes (default 5).
 */
class DemoCrashLoopTest {
    private static final int CRASHES = Integer.getInteger("cairn.crashloop.runs", 5);
    private static final int PER_RUN = 70_000;
    private static final String JOB = "crash-loop";

    @TempDir
    Path directory;

    private record Run(int exitCode, String output) {}

    private Run run(Path workingDirectory, Path temporary, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Djava.io.tmpdir=" + temporary,
                "-cp",
                System.getProperty("java.class.path"),
                ClickStreamDemo.class.getName(),
                "--config",
                "cairn.yaml",
                "--records",
                String.valueOf(PER_RUN * (CRASHES + 2L)),
                "--users",
                "1000",
                "--checkpoint-every",
                "50000"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path prepare(Path root) throws IOException {
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(
                root.resolve("cairn.yaml"),
                String.join(
                        "\n",
                        "pipeline.name: " + JOB,
                        "execution.checkpointing.dir: "
                                + root.resolve("checkpoints").toUri(),
                        "execution.checkpointing.num-retained: 2",
                        "state.backend.type: rocksdb",
                        "execution.checkpointing.incremental: true",
                        "state.changelog.enabled: true",
                        "state.changelog.storage: filesystem",
                        "state.changelog.dstl.dfs.base-path: "
                                + root.resolve("changelog").toUri(),
                        "state.changelog.periodic-materialize.interval: 200 ms",
                        ""));
        return root;
    }

    @Test
    void crashesLeaveNothingBehindThatTheNextStartDoesNotRemove() throws Exception {
        Path clean = prepare(directory.resolve("clean"));
        Run uninterrupted = run(clean, clean.resolve("tmp"), "--output", "results.txt");
        assertThat(uninterrupted.exitCode()).as(uninterrupted.output()).isZero();

        Path crashing = prepare(directory.resolve("crashing"));
        Path temporary = crashing.resolve("tmp");
        for (int crash = 1; crash <= CRASHES; crash++) {
            long started = System.currentTimeMillis();
            Run run = run(crashing, temporary, "--crash-after", String.valueOf(PER_RUN));
            assertThat(run.exitCode()).as(run.output()).isEqualTo(137);
            if (crash > 1) {
                assertThat(run.output()).contains("resumed from checkpoint");
            }
            assertThat(unreferencedFilesWrittenBefore(crashing, started))
                    .as("after crash %d: unreferenced files of earlier runs", crash)
                    .isEmpty();
            assertTemporaryDirectoryHoldsOnlyTheLastRun(temporary);
        }
        Run last = run(crashing, temporary, "--output", "results.txt");
        assertThat(last.exitCode()).as(last.output()).isZero();
        assertThat(Files.readAllLines(crashing.resolve("results.txt")))
                .isEqualTo(Files.readAllLines(clean.resolve("results.txt")));
    }

    /** Files in the checkpoint and changelog directories no completed checkpoint references, older than {@code millis}. */
    private static List<Path> unreferencedFilesWrittenBefore(Path root, long millis) throws IOException {
        Path checkpoints = root.resolve("checkpoints").resolve(JOB);
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(
                root.resolve("checkpoints").toUri().toString());
        storage.acceptChangelogDirectory(StoragePath.fromLocal(root.resolve("changelog")));
        Set<Path> referenced = new HashSet<>();
        for (CompletedCheckpoint checkpoint : storage.createAccess(JOB).findCompletedCheckpoints()) {
            referenced.add(
                    checkpoints.resolve("chk-" + checkpoint.getCheckpointId()).resolve("_metadata"));
            for (FileStateHandle file : checkpoint.files()) {
                referenced.add(file.getPath().toLocalPath());
            }
        }
        List<Path> old = new ArrayList<>();
        for (Path tree : List.of(checkpoints, root.resolve("changelog"))) {
            try (Stream<Path> files = Files.walk(tree)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    boolean lease = file.getParent().getFileName().toString().equals("_lease");
                    if (!lease
                            && !referenced.contains(file)
                            && Files.getLastModifiedTime(file).toMillis() < millis) {
                        old.add(file);
                    }
                }
            }
        }
        return old;
    }

    private static void assertTemporaryDirectoryHoldsOnlyTheLastRun(Path temporary) throws IOException {
        List<String> names;
        try (Stream<Path> entries = Files.list(temporary)) {
            names = entries.map(path -> path.getFileName().toString()).toList();
        }
        assertThat(names)
                .as("no per-process copy of the native library")
                .noneMatch(name -> name.startsWith("librocksdbjni"));
        assertThat(names.stream().filter(name -> name.startsWith("cairn-rocksdb-")))
                .as("working directories: only the crashed run's, earlier ones are deleted at start")
                .hasSizeLessThanOrEqualTo(1);
        try (Stream<Path> libraries =
                Files.walk(temporary.resolve("cairn-rocksdbjni-" + System.getProperty("user.name")))) {
            assertThat(libraries.filter(Files::isRegularFile))
                    .as("one extracted library, reused by every run")
                    .hasSize(1);
        }
    }
}

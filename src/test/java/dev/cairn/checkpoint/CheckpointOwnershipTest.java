package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.s3.S3TestServer;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.spi.StateScope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner per checkpoint directory: the ownership lease is exclusive while its owner lives, taken over at once
 * from a released lease or a dead process on this host, after the timeout from a silent owner elsewhere; an owner
 * that lost it completes no checkpoint; an aborted checkpoint deletes only its own files. Then the same with real
 * processes, on a local directory and on S3.
 */
class CheckpointOwnershipTest {
    private static final String JOB = "job";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private CheckpointStorageAccess access() throws IOException {
        return new FileSystemCheckpointStorage(directory.toUri().toString()).createAccess(JOB);
    }

    private Path leaseDirectory() {
        return directory.resolve(JOB).resolve("_lease");
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** Writes the lease file of an owner that is not this process. */
    private void writeForeignLease(long epoch, String host, long pid, long acquiredMillis) throws IOException {
        Files.createDirectories(leaseDirectory());
        Files.writeString(
                leaseDirectory().resolve(String.format("epoch-%019d", epoch)),
                "{\"format\":1,\"owner\":\"other-owner\",\"host\":\"" + host + "\",\"pid\":" + pid
                        + ",\"processStart\":-1,\"epoch\":" + epoch + ",\"acquired\":" + acquiredMillis + "}");
    }

    @Test
    void aSecondOwnerFailsNamingTheDirectoryAndTheOwner() throws Exception {
        try (OwnershipLease first = access().acquireOwnership(TIMEOUT, Clock.systemUTC())) {
            assertThatThrownBy(() -> access().acquireOwnership(TIMEOUT, Clock.systemUTC()))
                    .isInstanceOf(CheckpointOwnershipException.class)
                    .hasMessageContaining(directory.resolve(JOB).toString())
                    .hasMessageContaining("process " + ProcessHandle.current().pid())
                    .hasMessageContaining("epoch " + first.epoch())
                    .hasMessageContaining("execution.checkpointing.ownership.lease-timeout");
            first.checkOwned();
        }
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceWithAHigherEpoch() throws Exception {
        long firstEpoch;
        try (OwnershipLease first = access().acquireOwnership(TIMEOUT, Clock.systemUTC())) {
            firstEpoch = first.epoch();
        }
        try (OwnershipLease second = access().acquireOwnership(TIMEOUT, Clock.systemUTC())) {
            assertThat(second.epoch()).isEqualTo(firstEpoch + 1);
        }
        try (var files = Files.list(leaseDirectory())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("earlier epochs are deleted by the next owner")
                    .allMatch(name -> name.startsWith(String.format("epoch-%019d", firstEpoch + 1)));
        }
    }

    @Test
    void aSilentOwnerOnAnotherHostLosesTheLeaseAfterTheTimeout() throws Exception {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        writeForeignLease(7, "elsewhere.example", 4242, now.toEpochMilli());
        assertThatThrownBy(() -> access().acquireOwnership(TIMEOUT, at(now.plusSeconds(29))))
                .isInstanceOf(CheckpointOwnershipException.class)
                .hasMessageContaining("host elsewhere.example, process 4242, epoch 7");
        try (OwnershipLease taken = access().acquireOwnership(TIMEOUT, at(now.plusSeconds(31)))) {
            assertThat(taken.epoch()).isEqualTo(8);
        }
    }

    @Test
    void aLeaseOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process finished = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true)
                .start();
        finished.getInputStream().readAllBytes();
        assertThat(finished.waitFor(60, TimeUnit.SECONDS)).isTrue();
        writeForeignLease(3, InetAddress.getLocalHost().getHostName(), finished.pid(), System.currentTimeMillis());
        try (OwnershipLease taken = access().acquireOwnership(TIMEOUT, Clock.systemUTC())) {
            assertThat(taken.epoch()).isEqualTo(4);
        }
    }

    @Test
    void anOwnerThatLostTheLeaseCompletesNoCheckpointAndDeletesNothing() throws Exception {
        CheckpointStorageAccess access = access();
        try (OwnershipLease lease = access.acquireOwnership(TIMEOUT, Clock.systemUTC());
                CheckpointTestJob job = new CheckpointTestJob(1, 50, List.of());
                CheckpointCoordinator coordinator = new CheckpointCoordinator(
                        access, CheckpointCoordinator.Settings.defaults(), Runnable::run, lease)) {
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint first = coordinator.triggerCheckpoint().get();
            // Another process takes the directory over (this one paused for longer than the timeout).
            writeForeignLease(lease.epoch() + 1, "elsewhere.example", 1, System.currentTimeMillis());
            job.write(2);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .hasCauseInstanceOf(CheckpointException.class)
                    .hasMessageContaining("lost the ownership lease")
                    .hasMessageContaining("elsewhere.example");
            assertThat(coordinator.getRetainedCheckpoints()).containsExactly(first);
            assertThat(directory.resolve(JOB).resolve("chk-" + first.getCheckpointId()))
                    .as("the lost owner subsumed nothing")
                    .isDirectoryContaining(path -> path.getFileName().toString().equals("_metadata"));
            assertThatThrownBy(lease::checkOwned).isInstanceOf(CheckpointOwnershipException.class);
        }
    }

    @Test
    void anAbortedCheckpointDeletesOnlyTheFilesItWrote() throws Exception {
        CheckpointStorageLocation location = access().initializeCheckpoint(5, (bytes, file) -> {});
        try (var out = location.getStreamFactory().createOutputStream(StateScope.EXCLUSIVE)) {
            out.write(new byte[100_000]);
            out.closeAndGetHandle();
        }
        Path checkpoint = directory.resolve(JOB).resolve("chk-5");
        Path foreign = checkpoint.resolve("written-by-another-process");
        Files.writeString(foreign, "not ours");
        location.abort();
        try (var files = Files.list(checkpoint)) {
            assertThat(files).containsExactly(foreign);
        }
        Files.delete(foreign);
        CheckpointStorageLocation again = access().initializeCheckpoint(6, (bytes, file) -> {});
        again.abort();
        assertThat(directory.resolve(JOB).resolve("chk-6"))
                .as("an empty aborted directory goes")
                .doesNotExist();
    }

    @Test
    void twoProcessesOnOneLocalDirectory() throws Exception {
        twoProcessesOnOneDirectory(directory.toUri().toString());
    }

    @Test
    void twoProcessesOnOneS3Directory() throws Exception {
        S3TestServer.assumeAvailable();
        twoProcessesOnOneDirectory("s3://" + S3TestServer.sharedBucket() + "/ownership/" + UUID.randomUUID());
    }

    /**
     * A second process fails naming the first; after the first releases the lease a third takes over; after that
     * one is killed, a fourth takes over at once (same host, dead process). The counter proves each owner restored
     * its predecessor's last checkpoint.
     */
    private void twoProcessesOnOneDirectory(String checkpointDirectory) throws Exception {
        Worker first = Worker.start(checkpointDirectory);
        assertThat(first.awaitLine()).isEqualTo("COUNT 1");

        Worker second = Worker.start(checkpointDirectory);
        String refused = second.awaitLine();
        assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process.exitValue()).isEqualTo(2);
        assertThat(refused)
                .startsWith("ERROR Checkpoint directory")
                .contains("is in use by another process")
                .contains("process " + first.process.pid());

        first.release();
        Worker third = Worker.start(checkpointDirectory);
        assertThat(third.awaitLine()).isEqualTo("COUNT 2");
        third.process.destroyForcibly();
        assertThat(third.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Worker fourth = Worker.start(checkpointDirectory);
        assertThat(fourth.awaitLine())
                .as("the lease of a killed process is taken over")
                .isEqualTo("COUNT 3");
        fourth.release();
    }

    private record Worker(Process process, BufferedReader output) {
        static Worker start(String checkpointDirectory) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    OwnershipWorker.class.getName(),
                    checkpointDirectory,
                    JOB));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            return new Worker(
                    process,
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }

        /** The first line that is the worker's own (COUNT or ERROR), skipping log lines. */
        String awaitLine() throws IOException {
            StringBuilder seen = new StringBuilder();
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("COUNT ") || line.startsWith("ERROR ")) {
                    return line;
                }
                seen.append(line).append('\n');
            }
            throw new AssertionError("The worker ended without a result:\n" + seen);
        }

        void release() throws Exception {
            try (OutputStream input = process.getOutputStream()) {
                input.flush();
            }
            output.transferTo(java.io.Writer.nullWriter());
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
    }
}

package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.StateRecoveryOptions.ClaimMode;
import dev.cairn.conformance.MetricsCapture;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.spi.KeyedStateHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of heap backends through the coordinator into file-system and jobmanager storage. */
class CheckpointCoordinatorTest {
    private static final String JOB = "job";

    @TempDir
    Path directory;

    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private FileSystemCheckpointStorage storage() {
        return new FileSystemCheckpointStorage(
                directory.resolve("checkpoints").toUri().toString(),
                directory.resolve("savepoints").toString(),
                4096,
                4096,
                true);
    }

    private CheckpointCoordinator coordinator(CheckpointStorage storage, int retained) throws IOException {
        return new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(retained, 1), executor);
    }

    private List<String> checkpointDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(directory.resolve("checkpoints").resolve(JOB))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("chk-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void directoryLayoutRetentionAndSubsumption() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(2, 500, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 2);
            job.registerWith(coordinator);
            for (int round = 1; round <= 5; round++) {
                job.write(round);
                CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
                assertThat(checkpoint.getCheckpointId()).isEqualTo(round);
                assertThat(checkpoint.getKeyedState(CheckpointTestJob.OPERATOR)).hasSize(2);
            }
            assertThat(checkpointDirectories()).containsExactly("chk-4", "chk-5");
            assertThat(coordinator.getRetainedCheckpoints())
                    .extracting(CompletedCheckpoint::getCheckpointId)
                    .containsExactly(4L, 5L);
            Path chk5 = directory.resolve("checkpoints").resolve(JOB).resolve("chk-5");
            assertThat(chk5.resolve("_metadata")).exists();
            assertThat(directory.resolve("checkpoints").resolve(JOB).resolve("shared"))
                    .isDirectory();
            assertThat(directory.resolve("checkpoints").resolve(JOB).resolve("taskowned"))
                    .isDirectory();
            try (Stream<Path> files = Files.list(chk5)) {
                assertThat(files.filter(p -> !p.getFileName().toString().equals("_metadata"))
                                .count())
                        .as("one state file per instance")
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void restoreFromTheLatestCheckpointAfterARestartWithADifferentParallelism() throws Exception {
        Map<String, String> expected;
        try (CheckpointTestJob job = new CheckpointTestJob(2, 500, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            expected = job.contents();
            coordinator.triggerCheckpoint().get();
            job.write(3); // not checkpointed: lost by the "crash"
        }
        CheckpointCoordinator restarted = coordinator(storage(), 1);
        try (CheckpointCoordinator.RestoreSession session =
                        restarted.restoreLatest().orElseThrow();
                CheckpointTestJob job = new CheckpointTestJob(3, 500, session.keyedState(CheckpointTestJob.OPERATOR))) {
            assertThat(session.getCheckpoint().getCheckpointId()).isEqualTo(2);
            assertThat(job.contents()).isEqualTo(expected);
            job.registerWith(restarted);
            assertThat(restarted.triggerCheckpoint().get().getCheckpointId())
                    .as("ids continue")
                    .isEqualTo(3);
            assertThat(checkpointDirectories()).containsExactly("chk-3");
        }
    }

    @Test
    void savepointsAreSelfContainedRelocatableAndNeverSubsumed() throws Exception {
        Map<String, String> expected;
        CompletedCheckpoint savepoint;
        try (CheckpointTestJob job = new CheckpointTestJob(2, 300, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 1);
            job.registerWith(coordinator);
            job.write(1);
            expected = job.contents();
            savepoint = coordinator.triggerSavepoint(null).get();
            assertThat(savepoint.isSavepoint()).isTrue();
            for (int round = 2; round < 5; round++) {
                job.write(round);
                coordinator.triggerCheckpoint().get();
            }
            assertThat(coordinator.getRetainedCheckpoints())
                    .extracting(CompletedCheckpoint::isSavepoint)
                    .containsOnly(false);
        }
        Path original = savepoint.getDirectory().orElseThrow().toLocalPath();
        assertThat(original).startsWith(directory.resolve("savepoints"));
        Path moved = directory.resolve("elsewhere").resolve("my-savepoint");
        Files.createDirectories(moved.getParent());
        Files.move(original, moved);

        CompletedCheckpoint resolved = storage().resolve(moved.toString());
        CheckpointCoordinator coordinator = coordinator(storage(), 1);
        try (CheckpointCoordinator.RestoreSession session = coordinator.restoreFrom(resolved, ClaimMode.NO_CLAIM);
                CheckpointTestJob job = new CheckpointTestJob(1, 300, session.keyedState(CheckpointTestJob.OPERATOR))) {
            assertThat(job.contents()).isEqualTo(expected);
        }
    }

    @Test
    void noClaimRestoresNeverDeleteTheRestoredCheckpointButClaimDoes() throws Exception {
        CompletedCheckpoint first;
        try (CheckpointTestJob job = new CheckpointTestJob(1, 50, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 1);
            job.registerWith(coordinator);
            job.write(1);
            first = coordinator.triggerCheckpoint().get();
        }
        Path firstDirectory = first.getDirectory().orElseThrow().toLocalPath();
        for (ClaimMode mode : List.of(ClaimMode.NO_CLAIM, ClaimMode.CLAIM)) {
            CheckpointCoordinator coordinator = new CheckpointCoordinator(
                    storage().createAccess("other-job-" + mode), CheckpointCoordinator.Settings.defaults(), executor);
            CompletedCheckpoint resolved = storage().resolve(first.getPointer());
            try (CheckpointCoordinator.RestoreSession session = coordinator.restoreFrom(resolved, mode);
                    CheckpointTestJob job =
                            new CheckpointTestJob(1, 50, session.keyedState(CheckpointTestJob.OPERATOR))) {
                job.registerWith(coordinator);
                coordinator.triggerCheckpoint().get();
                coordinator.triggerCheckpoint().get();
            }
            assertThat(Files.exists(firstDirectory))
                    .as("restored checkpoint kept in %s mode", mode)
                    .isEqualTo(mode == ClaimMode.NO_CLAIM);
        }
    }

    @Test
    void smallStateIsInlinedIntoTheMetadata() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(1, 3, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 1);
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
            assertThat(checkpoint.files()).isEmpty();
            assertThat(checkpoint.getStateSize()).isPositive();
            CheckpointCoordinator restarted = coordinator(storage(), 1);
            try (var session = restarted.restoreLatest().orElseThrow();
                    CheckpointTestJob restored =
                            new CheckpointTestJob(1, 3, session.keyedState(CheckpointTestJob.OPERATOR))) {
                assertThat(restored.contents()).isEqualTo(job.contents());
            }
        }
    }

    @Test
    void progressEventsAndMetricsCarryTotals() throws Exception {
        List<String> events = new ArrayList<>();
        MetricRegistry metrics = new MetricRegistry();
        MetricsCapture captured = new MetricsCapture();
        metrics.addReporter(captured);
        try (CheckpointTestJob job = new CheckpointTestJob(3, 500, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage(), 1);
            CheckpointProgressListener recorder = new CheckpointProgressListener() {
                @Override
                public synchronized void checkpointStarted(long id, boolean savepoint, int totalTasks) {
                    events.add("started " + id + " tasks=" + totalTasks);
                }

                @Override
                public synchronized void checkpointProgress(long id, int done, int total, long bytes, int files) {
                    events.add("progress " + done + "/" + total);
                }

                @Override
                public synchronized void checkpointCompleted(CheckpointStats stats) {
                    events.add("completed " + stats.checkpointId() + " files=" + stats.files());
                }

                @Override
                public synchronized void restoreStarted(String pointer, long totalBytes, int totalFiles) {
                    events.add("restore started files=" + totalFiles);
                }

                @Override
                public synchronized void restoreProgress(long bytes, long totalBytes, int files, int totalFiles) {
                    events.add("restore progress " + files + "/" + totalFiles
                            + (bytes == totalBytes && files == totalFiles ? " all" : ""));
                }

                @Override
                public synchronized void restoreCompleted(String pointer, long millis) {
                    events.add("restore completed");
                }
            };
            coordinator.addListener(recorder);
            coordinator.registerMetrics(metrics, System::currentTimeMillis);
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
            assertThat(events.subList(0, 5))
                    .containsExactly(
                            "started 1 tasks=3", "progress 1/3", "progress 2/3", "progress 3/3", "completed 1 files=3");
            assertThat(captured.counter("cairn.numberOfCompletedCheckpoints")).isEqualTo(1);
            assertThat(captured.counter("cairn.totalNumberOfCheckpoints")).isEqualTo(1);
            assertThat(captured.counter("cairn.numberOfFailedCheckpoints")).isZero();
            assertThat(captured.gauge("cairn.lastCheckpointFullSize")).isEqualTo(checkpoint.getStateSize());
            assertThat(captured.gauge("cairn.lastCompletedCheckpointId")).isEqualTo(checkpoint.getCheckpointId());
            assertThat(captured.gauge("cairn.numberOfRetainedCheckpoints")).isEqualTo(1);
            assertThat(captured.gauge("cairn.numberOfInProgressCheckpoints")).isZero();
            assertThat(captured.gauge("cairn.lastCompletedCheckpointAge")).isNotNegative();
            assertThat(captured.timer("cairn.checkpointDuration")).hasSize(1);
            assertThat(captured.timer("cairn.checkpointSyncDuration"))
                    .singleElement()
                    .satisfies(nanos -> assertThat(nanos).isNotNegative());
            assertThat(captured.distribution("cairn.checkpointFullSize"))
                    .containsExactly((double) checkpoint.getStateSize());
            events.clear();
            CheckpointCoordinator restarted = coordinator(storage(), 1);
            restarted.addListener(recorder);
            MetricRegistry restartMetrics = new MetricRegistry();
            MetricsCapture restartCaptured = new MetricsCapture();
            restartMetrics.addReporter(restartCaptured);
            restarted.registerMetrics(restartMetrics, System::currentTimeMillis);
            restarted.restoreLatest().orElseThrow().close();
            assertThat(restartCaptured.timer("cairn.restoreDuration")).hasSize(1);
            assertThat(restartCaptured.distribution("cairn.restoredSize"))
                    .containsExactly((double) checkpoint.getStateSize());
            assertThat(restartCaptured.gauge("cairn.lastCheckpointRestoreTimestamp"))
                    .isPositive();
        }
        assertThat(events)
                .containsExactly(
                        "restore started files=3",
                        "restore progress 1/3",
                        "restore progress 2/3",
                        "restore progress 3/3 all",
                        "restore completed");
    }

    @Test
    void maxConcurrentCheckpointsIsEnforced() throws Exception {
        List<Runnable> parked = new ArrayList<>();
        try (CheckpointTestJob job = new CheckpointTestJob(1, 10, List.of())) {
            CheckpointCoordinator coordinator = new CheckpointCoordinator(
                    storage().createAccess(JOB), new CheckpointCoordinator.Settings(1, 1), parked::add);
            job.registerWith(coordinator);
            job.write(1);
            var first = coordinator.triggerCheckpoint();
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .cause()
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("execution.checkpointing.max-concurrent-checkpoints")
                    .satisfies(e -> assertThat(((CheckpointException) e).reason())
                            .isEqualTo(CheckpointException.Reason.TOO_MANY_CONCURRENT_CHECKPOINTS));
            while (!parked.isEmpty()) {
                parked.remove(0).run();
            }
            assertThat(first.get().getCheckpointId()).isEqualTo(1);
            var second = coordinator.triggerCheckpoint();
            while (!parked.isEmpty()) {
                parked.remove(0).run();
            }
            assertThat(second.get().getCheckpointId()).isEqualTo(2);
        }
    }

    @Test
    void jobManagerStorageKeepsCheckpointsInMemoryAndBoundsTheirSize() throws Exception {
        JobManagerCheckpointStorage storage = new JobManagerCheckpointStorage(64 * 1024);
        try (CheckpointTestJob job = new CheckpointTestJob(2, 100, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage, 1);
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint checkpoint = coordinator.triggerCheckpoint().get();
            assertThat(checkpoint.getDirectory()).isEmpty();
            List<KeyedStateHandle> handles =
                    storage.resolve(checkpoint.getPointer()).getKeyedState(CheckpointTestJob.OPERATOR);
            try (CheckpointTestJob restored = new CheckpointTestJob(1, 100, handles)) {
                assertThat(restored.contents()).isEqualTo(job.contents());
            }
        }
        try (CheckpointTestJob big = new CheckpointTestJob(1, 5_000, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage, 1);
            big.registerWith(coordinator);
            big.write(1);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .cause()
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("maximum state size of 65536 bytes");
        }
    }
}

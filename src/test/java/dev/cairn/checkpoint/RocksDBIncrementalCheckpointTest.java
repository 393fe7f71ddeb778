package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.Timer;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What incremental RocksDB checkpoints promise: only new SST files are uploaded, shared files are reference
 * counted across retained checkpoints and deleted when none uses them, history stays bounded, and restores —
 * same range or rescaled — give back exactly the checkpointed state.
 */
class RocksDBIncrementalCheckpointTest {
    private static final String JOB = "job";

    @TempDir
    Path directory;

    private CheckpointCoordinator coordinator(int retained) throws IOException {
        FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(
                directory.toString(), directory.resolve("savepoints").toString(), 0, 4096, true);
        return new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(retained, 1), Runnable::run);
    }

    private Path shared() {
        return directory.resolve(JOB).resolve("shared");
    }

    private Set<String> sharedFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(shared())) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static IncrementalKeyedStateHandle handleOf(CompletedCheckpoint checkpoint, int instance) {
        return (IncrementalKeyedStateHandle)
                checkpoint.getKeyedState(CheckpointTestJob.OPERATOR).get(instance);
    }

    /** Updates every 100th key (1%) with a new round's values. */
    private static void updateOnePercent(CheckpointTestJob job, int keys, int round) {
        for (int i = round % 100; i < keys; i += 100) {
            job.update("key-" + i, round);
        }
    }

    @Test
    void aSecondCheckpointUploadsOnlyTheNewSstFilesAndReportsTheDelta() throws Exception {
        int keys = 20_000;
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 1, keys, List.of())) {
            CheckpointCoordinator coordinator = coordinator(2);
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint first = coordinator.triggerCheckpoint().get();
            updateOnePercent(job, keys, 2);
            CompletedCheckpoint second = coordinator.triggerCheckpoint().get();

            IncrementalKeyedStateHandle firstHandle = handleOf(first, 0);
            IncrementalKeyedStateHandle secondHandle = handleOf(second, 0);
            assertThat(secondHandle.isIncremental()).isTrue();
            Map<String, StreamStateHandle> firstFiles = new TreeMap<>();
            firstHandle.getDataFiles().forEach(file -> firstFiles.put(file.name(), file.stream()));
            List<IncrementalKeyedStateHandle.NamedFile> reused = secondHandle.getDataFiles().stream()
                    .filter(file -> firstFiles.containsKey(file.name()))
                    .toList();
            assertThat(reused)
                    .as("SST files of the first checkpoint still live")
                    .isNotEmpty();
            for (IncrementalKeyedStateHandle.NamedFile file : reused) {
                assertThat(file.stream())
                        .as("%s is referenced, not uploaded again", file.name())
                        .isEqualTo(firstFiles.get(file.name()));
            }
            assertThat(second.getCheckpointedSize())
                    .as("the reported (checkpointed) size is the delta")
                    .isLessThan(second.getStateSize() / 2);
            assertThat(first.getCheckpointedSize()).isEqualTo(first.getStateSize());
            for (IncrementalKeyedStateHandle.NamedFile file : reused) {
                assertThat(coordinator
                                .getSharedStateRegistry()
                                .referenceCount(((FileStateHandle) file.stream()).getPath()))
                        .as("referenced by both retained checkpoints")
                        .isEqualTo(2);
            }
            assertThat(CheckpointTestJob.restoreLatest(coordinator(2), new EmbeddedRocksDBStateBackend(true), 1, keys))
                    .isEqualTo(job.contents());
        }
    }

    /** Runs queued tasks only when the test says so, to force an order of checkpoint completions. */
    private static final class ManualExecutor implements java.util.concurrent.Executor {
        private final java.util.LinkedList<Runnable> tasks = new java.util.LinkedList<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runFirst() {
            Runnable task;
            synchronized (this) {
                task = tasks.removeFirst();
            }
            task.run();
        }

        void runLast() {
            Runnable task;
            synchronized (this) {
                task = tasks.removeLast();
            }
            task.run();
        }
    }

    @Test
    void aCheckpointReusingFilesOfOneSubsumedWhileItRunsStaysRestorable() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        FileSystemCheckpointStorage storage =
                new FileSystemCheckpointStorage(directory.toString(), null, 0, 4096, true);
        CheckpointCoordinator coordinator = new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(1, 3), executor);
        Map<String, String> expected;
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 1, 400, List.of())) {
            job.registerWith(coordinator);
            job.write(1);
            var first = coordinator.triggerCheckpoint();
            executor.runFirst(); // snapshot
            executor.runFirst(); // completion
            assertThat(first).isCompleted();
            job.write(2);
            var second = coordinator.triggerCheckpoint(); // reuses checkpoint 1's files
            job.write(3);
            var third = coordinator.triggerCheckpoint(); // reuses checkpoint 1's files too: 2 is not complete yet
            executor.runFirst(); // snapshot of 2
            executor.runLast(); // completion of 2: subsumes 1; 2's new files become reusable
            assertThat(second).isCompleted();
            job.write(4);
            var fourth = coordinator.triggerCheckpoint(); // reuses 2's files
            expected = job.contents();
            executor.runFirst(); // snapshot of 3 (its own copies of the files 2 uploaded)
            executor.runLast(); // completion of 3: subsumes 2 while 4 still references 2's files
            assertThat(third).isCompleted();
            assertThat(coordinator.getSharedStateRegistry().releasedFiles())
                    .as("2's files wait for checkpoint 4")
                    .isNotEmpty();
            executor.runFirst(); // snapshot of 4
            executor.runLast(); // completion of 4
            assertThat(fourth.get().getCheckpointId()).isEqualTo(4);
            assertThat(coordinator.getSharedStateRegistry().releasedFiles()).isEmpty();
            assertThat(sharedFilesOnDisk())
                    .isEqualTo(CheckpointTestJob.sharedFileNames(coordinator.getRetainedCheckpoints()));
        }
        assertThat(CheckpointTestJob.restoreLatest(coordinator(1), new EmbeddedRocksDBStateBackend(true), 2, 400))
                .isEqualTo(expected);
    }

    @Test
    void fullNativeCheckpointsShareNothing() throws Exception {
        try (CheckpointTestJob job =
                new CheckpointTestJob(new EmbeddedRocksDBStateBackend(false), 2, 2000, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            CompletedCheckpoint second = coordinator.triggerCheckpoint().get();
            assertThat(handleOf(second, 0).isIncremental()).isFalse();
            assertThat(second.files()).allMatch(file -> file.getScope() == StateScope.EXCLUSIVE);
            assertThat(second.getCheckpointedSize()).isEqualTo(second.getStateSize());
            assertThat(sharedFilesOnDisk()).isEmpty();
            assertThat(CheckpointTestJob.restoreLatest(coordinator(1), new EmbeddedRocksDBStateBackend(false), 3, 2000))
                    .isEqualTo(job.contents());
        }
    }

    @Test
    void fiftyCheckpointsWithTwoRetainedKeepOnlyTheirSharedFiles() throws Exception {
        int keys = 5_000;
        Map<String, String> expected;
        Map<StoragePath, Integer> referenceCounts = new java.util.HashMap<>();
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 2, keys, List.of())) {
            CheckpointCoordinator coordinator = coordinator(2);
            job.registerWith(coordinator);
            job.write(0);
            int maxSharedFiles = 0;
            for (int round = 1; round <= 50; round++) {
                for (int i = round % 10; i < keys; i += 10) { // 10% of the keys, over both instances
                    job.update("key-" + i, round);
                }
                coordinator.triggerCheckpoint().get();
                List<CompletedCheckpoint> retained = coordinator.getRetainedCheckpoints();
                assertThat(retained).hasSizeLessThanOrEqualTo(2);
                assertThat(sharedFilesOnDisk())
                        .as("after checkpoint %d the shared directory holds exactly the retained ones' files", round)
                        .isEqualTo(CheckpointTestJob.sharedFileNames(retained));
                maxSharedFiles = Math.max(maxSharedFiles, sharedFilesOnDisk().size());
            }
            assertThat(maxSharedFiles)
                    .as("compaction folds old files: history does not grow with the number of checkpoints")
                    .isLessThan(50);
            expected = job.contents();
            for (StoragePath path : coordinator.getSharedStateRegistry().referencedFiles()) {
                referenceCounts.put(path, coordinator.getSharedStateRegistry().referenceCount(path));
            }
        }
        CheckpointCoordinator restarted = coordinator(2);
        assertThat(restarted.restoreLatest()).isPresent();
        Map<StoragePath, Integer> rebuilt = new java.util.HashMap<>();
        for (StoragePath path : restarted.getSharedStateRegistry().referencedFiles()) {
            rebuilt.put(path, restarted.getSharedStateRegistry().referenceCount(path));
        }
        assertThat(rebuilt)
                .as("the restarted coordinator rebuilds the reference counts")
                .isEqualTo(referenceCounts);
        assertThat(CheckpointTestJob.restoreLatest(coordinator(2), new EmbeddedRocksDBStateBackend(true), 3, keys))
                .isEqualTo(expected);
    }

    @Test
    void rescalingRestoresFromIncrementalCheckpointsInBothDirections() throws Exception {
        int keys = 3000;
        Map<String, String> expected;
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 2, keys, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            coordinator.triggerCheckpoint().get();
            expected = job.contents();
        }
        for (int parallelism : new int[] {1, 2, 3, 5}) {
            assertThat(CheckpointTestJob.restoreLatest(
                            coordinator(1), new EmbeddedRocksDBStateBackend(true), parallelism, keys))
                    .as("restored into %d instances", parallelism)
                    .isEqualTo(expected);
        }
    }

    @Test
    void savepointsStayCanonicalAndRestoreIntoTheHeapBackend() throws Exception {
        int keys = 500;
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 2, keys, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            CompletedCheckpoint savepoint = coordinator.triggerSavepoint(null).get();
            assertThat(savepoint.getKeyedState(CheckpointTestJob.OPERATOR))
                    .allMatch(handle -> handle instanceof KeyGroupsStateHandle);
            try (CheckpointTestJob heap = new CheckpointTestJob(
                    new HashMapStateBackend(), 3, keys, savepoint.getKeyedState(CheckpointTestJob.OPERATOR))) {
                assertThat(heap.contents()).isEqualTo(job.contents());
            }
        }
    }

    @Test
    void aNativeCheckpointIntoTheHeapBackendIsAClearError() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 1, 100, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            List<KeyedStateHandle> handles =
                    coordinator.triggerCheckpoint().get().getKeyedState(CheckpointTestJob.OPERATOR);
            assertThatThrownBy(() -> new CheckpointTestJob(new HashMapStateBackend(), 1, 100, handles).close())
                    .hasMessageContaining("native RocksDB checkpoint")
                    .hasMessageContaining("savepoint");
        }
    }

    @Test
    void timersCheckpointedInRocksDBCannotMoveToTheHeapWithoutASavepoint() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = new EmbeddedRocksDBStateBackend(true)
                .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .keyGroupRange(KeyGroupRange.of(0, 127))
                        .build());
        List<KeyedStateHandle> handles;
        try (backend) {
            KeyGroupedTimerQueue<String, Long> timers = backend.createTimerQueue("timers", Serializers.LONG);
            backend.setCurrentKey("k");
            timers.add(new Timer<>("k", 0L, 42L));
            handles = List.of(backend.snapshotNow(
                            1,
                            new dev.cairn.state.support.MemoryCheckpointStreamFactory(1 << 20),
                            dev.cairn.state.spi.SnapshotOptions.checkpoint())
                    .getHandle());
        }
        EmbeddedRocksDBStateBackend heapTimers = new EmbeddedRocksDBStateBackend(true);
        heapTimers.setPriorityQueueStateType(RocksDBOptions.TimerServiceFactory.HEAP);
        assertThatThrownBy(() -> heapTimers.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .keyGroupRange(KeyGroupRange.of(0, 127))
                        .restoreFrom(handles)
                        .build()))
                .isInstanceOf(CheckpointException.class)
                .hasRootCauseInstanceOf(StateBackendException.class)
                .hasMessageContaining("'timers'")
                .hasMessageContaining("savepoint");
    }
}

package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.changelog.internal.BatchingUploader;
import dev.cairn.changelog.internal.ChangelogKeyedStateBackend;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The changelog backend with the checkpoint coordinator and file-system storages: what checkpoints upload,
 * materialization and truncation, recovery (also rescaled), switching the changelog on and off, and upload
 * faults.
 */
class ChangelogCheckpointTest {
    private static final String JOB = "job";
    private static final int KEYS = 300;
    private static final FaultInjectingFileSystem FS = FaultInjectingFileSystem.INSTANCE;

    @TempDir
    Path directory;

    private StateChangelogStorage changelogStorage;

    @AfterEach
    void cleanUp() {
        FS.reset();
        if (changelogStorage != null) {
            changelogStorage.close();
        }
    }

    private Path changelogDirectory() {
        return directory.resolve("changelog");
    }

    private StateChangelogStorage changelogStorage(boolean faulty) {
        String base = (faulty ? "faulty://" : "") + changelogDirectory().toAbsolutePath();
        changelogStorage = new FsStateChangelogStorage(
                faulty ? StoragePath.of(base) : StoragePath.fromLocal(changelogDirectory()),
                new BatchingUploader.Settings(
                        Duration.ofMillis(1), 1 << 20, 64 << 20, 3, Duration.ofSeconds(5), Duration.ofMillis(5), 2),
                4096);
        return changelogStorage;
    }

    private StateBackend changelog(StateBackend inner, boolean faulty) {
        return new ChangelogStateBackend(
                inner,
                changelogStorage == null ? changelogStorage(faulty) : changelogStorage,
                new ChangelogStateBackend.Settings(false, Duration.ofMinutes(10), 3, 1 << 20));
    }

    private CheckpointCoordinator coordinator(int retained) throws IOException {
        FileSystemCheckpointStorage storage =
                new FileSystemCheckpointStorage(directory.resolve("checkpoints").toString(), null, 0, 4096, true);
        storage.acceptChangelogDirectory(StoragePath.fromLocal(changelogDirectory()));
        storage.acceptChangelogDirectory(
                StoragePath.of("faulty://" + changelogDirectory().toAbsolutePath()));
        return new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(retained, 1), Runnable::run);
    }

    private static void materializeAll(CheckpointTestJob job) throws Exception {
        for (CheckpointableKeyedStateBackend<String> instance : job.instances) {
            ChangelogKeyedStateBackend<String> changelog = (ChangelogKeyedStateBackend<String>) instance;
            long before = changelog.latestMaterializationId();
            assertThat(changelog.materialize()).isTrue();
            changelog.runningMaterialization().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(changelog.latestMaterializationId()).isGreaterThan(before);
        }
    }

    private Set<String> changelogFilesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(changelogDirectory())) {
            return files.filter(Files::isRegularFile)
                    .map(path -> path.toAbsolutePath().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> changelogFilesOf(List<CompletedCheckpoint> checkpoints) {
        Set<String> names = new TreeSet<>();
        for (CompletedCheckpoint checkpoint : checkpoints) {
            for (FileStateHandle file : checkpoint.files()) {
                if (file.getScope() == StateScope.CHANGELOG) {
                    names.add(file.getPath().toLocalPath().toAbsolutePath().toString());
                }
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void checkpointsCarryOnlyNewChangesAndRestoreExactlyIntoAnyParallelism(String type) throws Exception {
        StateBackend inner = type.equals("hashmap") ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend();
        Map<String, String> expected;
        try (CheckpointTestJob job = new CheckpointTestJob(changelog(inner, false), 2, KEYS, List.of())) {
            CheckpointCoordinator coordinator = coordinator(2);
            job.registerWith(coordinator);
            job.write(1);
            CompletedCheckpoint first = coordinator.triggerCheckpoint().get();
            job.update("key-7", 2);
            CompletedCheckpoint second = coordinator.triggerCheckpoint().get();
            assertThat(second.getCheckpointedSize())
                    .as("the second checkpoint uploads only the one change since the first")
                    .isLessThan(first.getCheckpointedSize() / 10);
            assertThat(second.getStateSize()).isGreaterThan(first.getStateSize());
            expected = job.contents();
        }
        for (int parallelism : new int[] {1, 2, 3}) {
            assertThat(CheckpointTestJob.restoreLatest(coordinator(2), changelog(inner, false), parallelism, KEYS))
                    .as("restored into %d instances", parallelism)
                    .isEqualTo(expected);
        }
    }

    @Test
    void materializationTruncatesTheChangelogAndUnreferencedFilesAreDeleted() throws Exception {
        try (CheckpointTestJob job =
                new CheckpointTestJob(changelog(new EmbeddedRocksDBStateBackend(), false), 2, KEYS, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            coordinator.triggerCheckpoint().get();
            ChangelogKeyedStateBackend<String> first = (ChangelogKeyedStateBackend<String>) job.instances.get(0);
            assertThat(first.changelogSegments()).isEqualTo(2);

            materializeAll(job);
            job.write(3);
            CompletedCheckpoint withMaterialization =
                    coordinator.triggerCheckpoint().get();
            assertThat(first.confirmedMaterializationId()).isEqualTo(first.latestMaterializationId());
            assertThat(first.changelogSegments())
                    .as("segments before the confirmed materialization are truncated")
                    .isEqualTo(1);
            assertThat(changelogFilesOnDisk())
                    .as("files of the subsumed checkpoints that nothing references any more are gone")
                    .isEqualTo(changelogFilesOf(List.of(withMaterialization)));
            assertThat(CheckpointTestJob.restoreLatest(
                            coordinator(1), changelog(new EmbeddedRocksDBStateBackend(), false), 2, KEYS))
                    .isEqualTo(job.contents());
        }
    }

    @Test
    void aJobSwitchesTheChangelogOnAndOff() throws Exception {
        Map<String, String> withoutChangelog;
        try (CheckpointTestJob job = new CheckpointTestJob(new HashMapStateBackend(), 2, KEYS, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            withoutChangelog = job.contents();
        }
        Map<String, String> withChangelog;
        CheckpointCoordinator restarted = coordinator(1);
        List<KeyedStateHandle> plain = restarted.restoreLatest().orElseThrow().keyedState(CheckpointTestJob.OPERATOR);
        try (CheckpointTestJob job =
                new CheckpointTestJob(changelog(new HashMapStateBackend(), false), 2, KEYS, plain)) {
            assertThat(job.contents())
                    .as("enabled on a job checkpointed without it")
                    .isEqualTo(withoutChangelog);
            job.registerWith(restarted);
            job.update("key-1", 5);
            restarted.triggerCheckpoint().get();
            withChangelog = job.contents();
        }
        List<KeyedStateHandle> changelogHandles =
                coordinator(1).restoreLatest().orElseThrow().keyedState(CheckpointTestJob.OPERATOR);
        try (CheckpointTestJob job = new CheckpointTestJob(
                ChangelogStateBackend.deactivated(new EmbeddedRocksDBStateBackend()), 3, KEYS, changelogHandles)) {
            assertThat(job.contents())
                    .as("disabled again (and moved to RocksDB, rescaled to 3)")
                    .isEqualTo(withChangelog);
        }
        assertThatThrownBy(() -> new CheckpointTestJob(new HashMapStateBackend(), 1, KEYS, changelogHandles))
                .hasMessageContaining("ChangelogStateBackendHandle");
    }

    @Test
    void anUploadThatFailsOnceIsRetriedAndTheCheckpointSucceeds() throws Exception {
        try (CheckpointTestJob job =
                new CheckpointTestJob(changelog(new HashMapStateBackend(), true), 1, KEYS, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            FS.failAt(1, FaultInjectingFileSystem.Mode.FAIL);
            coordinator.triggerCheckpoint().get();
            assertThat(FS.log()).as("the first changelog write failed").isNotEmpty();
            FS.reset();
            assertThat(CheckpointTestJob.restoreLatest(
                            coordinator(1), changelog(new HashMapStateBackend(), true), 1, KEYS))
                    .isEqualTo(job.contents());
        }
    }

    @Test
    void anUploadThatNeverSucceedsFailsTheCheckpointCleanlyAndTheJobGoesOn() throws Exception {
        try (CheckpointTestJob job =
                new CheckpointTestJob(changelog(new HashMapStateBackend(), true), 1, KEYS, List.of())) {
            CheckpointCoordinator coordinator = coordinator(1);
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            Map<String, String> first = job.contents();
            job.write(2);
            Map<String, String> second = job.contents();
            FS.failAt(1, FaultInjectingFileSystem.Mode.CRASH); // the changelog store is unreachable from now on
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("Uploading changes failed after 3 attempt(s)");
            assertThat(job.contents()).as("the job's state is intact").isEqualTo(second);
            assertThat(coordinator.getLatestCompletedCheckpoint().orElseThrow().getCheckpointId())
                    .isEqualTo(1);
            assertThat(CheckpointTestJob.restoreLatest(
                            coordinator(1), changelog(new HashMapStateBackend(), true), 1, KEYS))
                    .as("the last complete checkpoint is still whole")
                    .isEqualTo(first);
            FS.reset();
            job.write(3);
            coordinator.triggerCheckpoint().get();
            assertThat(CheckpointTestJob.restoreLatest(
                            coordinator(1), changelog(new HashMapStateBackend(), true), 1, KEYS))
                    .as("the next checkpoint uploads what failed before")
                    .isEqualTo(job.contents());
        }
    }

    @Test
    void aCrashBetweenMaterializationAndTruncationRestoresExactly() throws Exception {
        CheckpointCoordinator coordinator = coordinator(2);
        Map<String, String> beforeMaterialization;
        Map<String, String> withMaterialization;
        List<KeyedStateHandle> lastHandles;
        try (CheckpointTestJob job =
                new CheckpointTestJob(changelog(new EmbeddedRocksDBStateBackend(), false), 1, KEYS, List.of())) {
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            beforeMaterialization = job.contents();
            materializeAll(job);
            job.write(2);
            // The checkpoint including the materialization becomes durable, but the process dies before the
            // backend hears of it (no truncation): take it without the coordinator's completion notification.
            ChangelogKeyedStateBackend<String> backend = (ChangelogKeyedStateBackend<String>) job.instances.get(0);
            lastHandles = List.of(backend.snapshotNow(
                            99,
                            new dev.cairn.state.support.MemoryCheckpointStreamFactory(),
                            dev.cairn.state.spi.SnapshotOptions.checkpoint())
                    .getHandle());
            assertThat(backend.confirmedMaterializationId()).isZero();
            withMaterialization = job.contents();
        }
        try (CheckpointTestJob restored =
                new CheckpointTestJob(changelog(new EmbeddedRocksDBStateBackend(), false), 2, KEYS, lastHandles)) {
            assertThat(restored.contents()).isEqualTo(withMaterialization);
        }
        assertThat(CheckpointTestJob.restoreLatest(
                        coordinator(2), changelog(new EmbeddedRocksDBStateBackend(), false), 1, KEYS))
                .as("the checkpoint before the materialization is intact too")
                .isEqualTo(beforeMaterialization);
    }
}

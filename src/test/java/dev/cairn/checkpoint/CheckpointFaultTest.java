package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints interrupted at every stage, damaged files, escaping metadata and full disks: restore always yields
 * the last complete checkpoint exactly, or a clear error naming the damaged file.
 */
class CheckpointFaultTest {
    protected static final String JOB = "job-1";
    protected static final FaultInjectingFileSystem FS = FaultInjectingFileSystem.INSTANCE;

    @TempDir
    protected Path directory;

    @AfterEach
    void noFaults() {
        FS.reset();
    }

    /** The backend the job runs on; subclasses run the same faults against other backends and modes. */
    protected StateBackend backend() {
        return new HashMapStateBackend();
    }

    protected Path sharedDirectory() {
        return directory.resolve(JOB).resolve("shared");
    }

    /** Every file in the job's shared directory is one a retained checkpoint of {@code coordinator} references. */
    protected void assertSharedFilesAreReferenced(CheckpointCoordinator coordinator) throws IOException {
        java.util.Set<String> referenced = new java.util.TreeSet<>();
        coordinator.getSharedStateRegistry().referencedFiles().forEach(path -> referenced.add(path.getName()));
        java.util.Set<String> present = new java.util.TreeSet<>();
        if (Files.exists(sharedDirectory())) {
            try (Stream<Path> files = Files.list(sharedDirectory())) {
                files.forEach(file -> present.add(file.getFileName().toString()));
            }
        }
        assertThat(present)
                .as("shared files: no upload of a failed checkpoint is left behind")
                .isEqualTo(referenced);
    }

    protected FileSystemCheckpointStorage storage() {
        // Threshold 0: every stream becomes a file, so every file operation is a fault point.
        return new FileSystemCheckpointStorage("faulty://" + directory.toAbsolutePath(), null, 0, 4096, true);
    }

    protected CheckpointCoordinator coordinator(FileSystemCheckpointStorage storage) throws IOException {
        return new CheckpointCoordinator(
                storage.createAccess(JOB), CheckpointCoordinator.Settings.defaults(), Runnable::run);
    }

    /** Restores what a restarted application would see; empty contents if there is no checkpoint. */
    protected Map<String, String> restoreLatest(int parallelism) throws IOException {
        CheckpointCoordinator coordinator = coordinator(storage());
        var session = coordinator.restoreLatest();
        assertSharedFilesAreReferenced(coordinator);
        List<dev.cairn.state.spi.KeyedStateHandle> handles =
                session.map(s -> s.keyedState(CheckpointTestJob.OPERATOR)).orElse(List.of());
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), parallelism, 200, handles)) {
            return job.contents();
        }
    }

    protected Path checkpointDirectory(long id) {
        return directory.resolve(JOB).resolve("chk-" + id);
    }

    @ParameterizedTest
    @EnumSource(
            value = FaultInjectingFileSystem.Mode.class,
            names = {"FAIL", "CRASH"})
    void aCheckpointInterruptedAtAnyOperationLeavesTheLastCompleteOneRestorable(FaultInjectingFileSystem.Mode mode)
            throws Exception {
        int stagesTested = 0;
        for (int failAt = 1; ; failAt++) {
            deleteAll();
            Map<String, String> first;
            Map<String, String> second;
            try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
                CheckpointCoordinator coordinator = coordinator(storage());
                job.registerWith(coordinator);
                job.write(1);
                first = job.contents();
                coordinator.triggerCheckpoint().get();
                job.write(2);
                second = job.contents();
                FS.failAt(failAt, mode);
                try {
                    coordinator.triggerCheckpoint().get();
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(CheckpointException.class);
                    if (mode == FaultInjectingFileSystem.Mode.FAIL) { // one-off fault: the cleanup itself ran
                        assertSharedFilesAreReferenced(coordinator);
                    }
                }
                if (FS.operations() < failAt) {
                    break; // the checkpoint finished before the fault point: every stage was covered
                }
                stagesTested++;
                FS.reset();
            }
            boolean secondComplete = Files.exists(checkpointDirectory(2).resolve("_metadata"));
            Map<String, String> restored = restoreLatest(3);
            assertThat(restored)
                    .as(
                            "restore after a fault at operation %d (%s), second checkpoint complete: %s",
                            failAt, mode, secondComplete)
                    .isEqualTo(secondComplete ? second : first);
            if (!secondComplete) {
                assertThat(checkpointDirectory(2))
                        .as(
                                "an incomplete checkpoint directory is removed (at once, or when the next coordinator starts)")
                        .doesNotExist();
            }
        }
        assertThat(stagesTested).as("fault points exercised").isGreaterThan(5);
    }

    @Test
    void aFailedCheckpointIsRemovedAtOnceAndTheNextOneSucceeds() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 1, 50, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            FS.failAt(3, FaultInjectingFileSystem.Mode.FAIL);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .hasCauseInstanceOf(CheckpointException.class);
            FS.reset();
            assertThat(checkpointDirectory(2)).doesNotExist();
            assertSharedFilesAreReferenced(coordinator);
            assertThat(coordinator.getLatestCompletedCheckpoint().orElseThrow().getCheckpointId())
                    .isEqualTo(1);
            job.write(3);
            assertThat(coordinator.triggerCheckpoint().get().getCheckpointId()).isEqualTo(3);
        }
    }

    @Test
    void aFullDiskFailsTheCheckpointCleanly() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            Map<String, String> first = job.contents();
            coordinator.triggerCheckpoint().get();
            job.write(2);
            FS.diskFullAfter(1000);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .cause()
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("No space left on device")
                    .satisfies(e -> assertThat(((CheckpointException) e).reason())
                            .isEqualTo(CheckpointException.Reason.STORAGE_FAILURE));
            FS.reset();
            assertThat(checkpointDirectory(2)).doesNotExist();
            assertSharedFilesAreReferenced(coordinator);
            assertThat(restoreLatest(2)).isEqualTo(first);
        }
    }

    /** A file of checkpoint 1 that holds keyed state, to damage. */
    protected Path firstStateFile() throws IOException {
        try (Stream<Path> files = Files.list(checkpointDirectory(1))) {
            return files.filter(p -> !p.getFileName().toString().startsWith("_"))
                    .filter(p -> p.toFile().length() > 16) // room to flip or cut bytes
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
    }

    protected void checkpointOnce() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 1, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
        }
    }

    /** Flips one bit in the middle of {@code file}. */
    protected static void flipABit(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x04);
        }
    }

    /**
     * The backend itself, restoring checkpoint 1 straight from storage — without the coordinator's up-front
     * verification — fails with a checksum error naming the damaged {@code file}.
     */
    protected void assertBackendCatchesDamage(Path file) throws IOException {
        CompletedCheckpoint checkpoint =
                storage().createAccess(JOB).findCompletedCheckpoints().get(0);
        assertChecksumErrorNaming(
                file,
                () -> new CheckpointTestJob(backend(), 1, 200, checkpoint.getKeyedState(CheckpointTestJob.OPERATOR))
                        .close());
    }

    /** {@code action} fails with a checksum error naming {@code file}. */
    protected static void assertChecksumErrorNaming(
            Path file, org.assertj.core.api.ThrowableAssert.ThrowingCallable action) {
        assertThatThrownBy(action)
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("expected CRC32C");
    }

    @Test
    void aBitFlipInAStateFileIsDetectedAndNamesTheFile() throws Exception {
        checkpointOnce();
        Path file = firstStateFile();
        flipABit(file);
        assertChecksumErrorNaming(file, () -> restoreLatest(1));
    }

    @Test
    void aRestoreReadsEveryFileOnce() throws Exception {
        checkpointOnce();
        CompletedCheckpoint checkpoint =
                storage().createAccess(JOB).findCompletedCheckpoints().get(0);
        long fileBytes = checkpoint.files().stream()
                .mapToLong(FileStateHandle::getStateSize)
                .sum();
        long metadataBytes = Files.size(checkpointDirectory(1).resolve("_metadata"));
        assertThat(fileBytes).isPositive();
        FS.reset();
        restoreLatest(1);
        // The coordinator checks the files' lengths; the backend checks the bytes as it reads them. (The coordinator
        // used to read every file to check it, and then the backend read it again.) A file read in parts may be read
        // partly twice (a header, then a section): well under twice the bytes.
        assertThat(FS.bytesRead())
                .as("bytes read by a restore of %d file bytes and %d metadata bytes", fileBytes, metadataBytes)
                .isGreaterThanOrEqualTo(fileBytes / 2)
                .isLessThan(fileBytes + fileBytes / 2 + metadataBytes);
    }

    @Test
    void aTruncatedStateFileIsDetectedAndNamesTheFile() throws Exception {
        checkpointOnce();
        Path file = firstStateFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 3);
        }
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(file.getFileName().toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void damagedMetadataIsAClearError() throws Exception {
        checkpointOnce();
        Path metadata = checkpointDirectory(1).resolve("_metadata");
        Files.writeString(metadata, Files.readString(metadata).substring(0, 100));
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("_metadata");
    }

    @Test
    void metadataPathsThatEscapeTheCheckpointAreRejected() throws Exception {
        checkpointOnce();
        Path metadata = checkpointDirectory(1).resolve("_metadata");
        String json = Files.readString(metadata);
        TamperedMetadata.rewrite(
                metadata, text -> text.replaceFirst("\"path\" : \"[^\"]+\"", "\"path\" : \"../../../../etc/passwd\""));
        assertThat(Files.readString(metadata)).isNotEqualTo(json);
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("escapes");
        Files.writeString(metadata, json);
        TamperedMetadata.rewrite(
                metadata, text -> text.replaceFirst("\"path\" : \"[^\"]+\"", "\"path\" : \"/etc/passwd\""));
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("/etc/passwd");
    }

    private void deleteAll() throws IOException {
        FS.reset();
        if (Files.exists(directory.resolve(JOB))) {
            dev.cairn.checkpoint.fs.LocalFileSystem.INSTANCE.delete(
                    StoragePath.fromLocal(directory.resolve(JOB)), true);
        }
    }
}

package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.CheckpointException;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The storage fault tests with RocksDB incremental checkpoints (every fault point of the uploads, full disk,
 * damaged files), plus damaged shared files: a corrupted SST in {@code shared/} is caught by its checksum, both by
 * the coordinator's verification and by the backend's download.
 */
class RocksDBIncrementalCheckpointFaultTest extends CheckpointFaultTest {

    @Override
    protected StateBackend backend() {
        return new EmbeddedRocksDBStateBackend(true);
    }

    private Path aSharedFile() throws IOException {
        try (Stream<Path> files = Files.list(sharedDirectory())) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    @Test
    void aCorruptedSharedFileIsDetectedByTheCoordinatorsVerification() throws Exception {
        checkpointOnce();
        Path file = aSharedFile();
        flipABit(file);
        assertChecksumErrorNaming(file, () -> restoreLatest(1));
    }

    @Test
    void aCorruptedSharedFileIsDetectedWhileTheBackendDownloadsIt() throws Exception {
        checkpointOnce();
        Path file = aSharedFile();
        flipABit(file);
        CompletedCheckpoint checkpoint =
                storage().createAccess(JOB).findCompletedCheckpoints().get(0);
        // Straight to the backend, without the coordinator's up-front verification.
        assertChecksumErrorNaming(
                file,
                () -> new CheckpointTestJob(backend(), 1, 200, checkpoint.getKeyedState(CheckpointTestJob.OPERATOR))
                        .close());
    }

    @Test
    void orphanedUploadsOfACrashedCheckpointAreDeletedWhenTheNextCoordinatorStarts() throws Exception {
        checkpointOnce();
        Path orphan = sharedDirectory().resolve("left-by-a-crash");
        Files.writeString(orphan, "partial upload");
        CheckpointCoordinator restarted = coordinator(storage());
        assertThat(orphan).doesNotExist();
        assertThat(restarted.restoreLatest()).isPresent();
        assertSharedFilesAreReferenced(restarted);
        assertThat(restarted.getSharedStateRegistry().referencedFiles())
                .as("the registry is rebuilt from the retained checkpoint's metadata")
                .isNotEmpty();
    }

    @Test
    void checkpointsAfterAFailedOneStillRestoreExactly() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            FS.failAt(4, FaultInjectingFileSystem.Mode.FAIL);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .hasCauseInstanceOf(CheckpointException.class);
            FS.reset();
            assertSharedFilesAreReferenced(coordinator);
            job.write(3);
            coordinator.triggerCheckpoint().get();
            assertThat(restoreLatest(3)).isEqualTo(job.contents());
        }
    }
}

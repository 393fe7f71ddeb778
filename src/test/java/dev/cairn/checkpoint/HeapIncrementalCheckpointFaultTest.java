package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.CheckpointException;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The storage fault tests with incremental heap checkpoints (every fault point of a delta's upload, full disk,
 * damaged files), plus what chains add: a damaged shared file is caught by the coordinator and by the backend, a
 * failed checkpoint's delta is never built on, and the shared directory holds exactly the files that retained
 * checkpoints' chains need while checkpoints are subsumed.
 */
class HeapIncrementalCheckpointFaultTest extends CheckpointFaultTest {

    @Override
    protected StateBackend backend() {
        return new HashMapStateBackend(true).withChainLimits(2, 100);
    }

    @Override
    protected Path firstStateFile() throws IOException {
        try (Stream<Path> files = Files.list(sharedDirectory())) {
            return files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void aCorruptedSharedFileIsDetectedWhileTheBackendReadsIt() throws Exception {
        checkpointOnce();
        Path file = firstStateFile();
        flipABit(file);
        assertBackendCatchesDamage(file);
    }

    @Test
    void aDeltaAfterAFailedCheckpointBuildsOnTheLastCompletedOneAndRestoresExactly() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.update("key-7", 2);
            FS.failAt(2, FaultInjectingFileSystem.Mode.FAIL);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .hasCauseInstanceOf(CheckpointException.class);
            FS.reset();
            assertSharedFilesAreReferenced(coordinator);
            job.update("key-8", 3);
            CompletedCheckpoint third = coordinator.triggerCheckpoint().get();

            for (KeyedStateHandle handle : third.getKeyedState(CheckpointTestJob.OPERATOR)) {
                assertThat(((IncrementalHeapStateHandle) handle)
                                .getFiles().stream()
                                        .map(IncrementalHeapStateHandle.ChainFile::checkpointId)
                                        .toList())
                        .as("checkpoint 3 chains on checkpoint 1, never on the failed 2")
                        .doesNotContain(2L)
                        .contains(1L);
            }
            Map<String, String> expected = job.contents();
            assertThat(expected).containsEntry("key-8/value", String.valueOf(3_000_000L + "key-8".hashCode()));
            assertThat(restoreLatest(2)).isEqualTo(expected);
        }
    }

    @Test
    void subsumedCheckpointsReleaseExactlyTheFilesNoRetainedChainNeeds() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            for (int round = 2; round <= 9; round++) {
                job.update("key-" + round, round); // small deltas, new bases every third checkpoint
                coordinator.triggerCheckpoint().get();
                assertSharedFilesAreReferenced(coordinator);
                Map<String, String> expected = job.contents();
                assertThat(restoreLatest(2).entrySet())
                        .as("restored after checkpoint %d", round)
                        .containsExactlyInAnyOrderElementsOf(expected.entrySet());
            }
        }
    }
}

package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.checkpoint.fs.LocalFileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyGroupRangeOffsets;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.SnapshotOptions.SnapshotType;
import dev.cairn.state.spi.StateScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedStateRegistryTest {
    @TempDir
    Path directory;

    private FileStateHandle file(String name, StateScope scope) throws IOException {
        Path path = Files.writeString(directory.resolve(name), name);
        return new FileStateHandle(LocalFileSystem.INSTANCE, StoragePath.fromLocal(path), scope, Files.size(path), 0);
    }

    private static CompletedCheckpoint checkpoint(long id, FileStateHandle... files) {
        List<dev.cairn.state.spi.KeyedStateHandle> handles = new ArrayList<>();
        for (FileStateHandle file : files) {
            handles.add(
                    new KeyGroupsStateHandle(new KeyGroupRangeOffsets(KeyGroupRange.of(0, 0), new long[] {0}), file));
        }
        return new CompletedCheckpoint(
                new CheckpointMetadata(id, 0, SnapshotType.CHECKPOINT, List.of(new OperatorSnapshot("op", handles))),
                null,
                null,
                "chk-" + id);
    }

    @Test
    void aSharedFileIsDeletedOnlyWhenNoRetainedCheckpointReferencesIt() throws IOException {
        SharedStateRegistry registry = new SharedStateRegistry();
        FileStateHandle shared = file("shared-1", StateScope.SHARED);
        FileStateHandle onlyInFirst = file("shared-2", StateScope.SHARED);
        FileStateHandle exclusive = file("exclusive", StateScope.EXCLUSIVE);
        CompletedCheckpoint first = checkpoint(1, shared, onlyInFirst, exclusive);
        CompletedCheckpoint second = checkpoint(2, shared);
        registry.register(first);
        registry.register(second);
        assertThat(registry.referenceCount(shared.getPath())).isEqualTo(2);

        registry.unregister(first);
        assertThat(shared.getPath().toLocalPath()).exists();
        assertThat(onlyInFirst.getPath().toLocalPath()).doesNotExist();
        assertThat(exclusive.getPath().toLocalPath())
                .as("exclusive files are not the registry's")
                .exists();

        registry.unregister(second);
        assertThat(shared.getPath().toLocalPath()).doesNotExist();
        assertThat(registry.referenceCount(shared.getPath())).isZero();
    }

    @Test
    void aReleasedFileWaitsForTheCheckpointsRunningWhenItWasReleased() throws IOException {
        SharedStateRegistry registry = new SharedStateRegistry();
        FileStateHandle reused = file("reused", StateScope.SHARED);
        FileStateHandle dropped = file("dropped", StateScope.SHARED);
        CompletedCheckpoint second = checkpoint(2, reused, dropped);
        registry.register(second);

        registry.unregister(second, 4); // checkpoints 3 and 4 were triggered and may reuse its files
        registry.deleteReleased(3);
        assertThat(reused.getPath().toLocalPath()).as("checkpoint 3 still runs").exists();
        registry.discardUnregistered(List.of(reused, dropped)); // checkpoint 3 failed
        assertThat(dropped.getPath().toLocalPath())
                .as("a failed checkpoint never deletes files others may still take back")
                .exists();
        registry.deleteReleased(4);
        registry.register(checkpoint(4, reused)); // checkpoint 4 completes, referencing one of them
        registry.deleteReleased(Long.MAX_VALUE);
        assertThat(reused.getPath().toLocalPath()).exists();
        assertThat(registry.referenceCount(reused.getPath())).isEqualTo(1);
        assertThat(dropped.getPath().toLocalPath()).doesNotExist();
        assertThat(registry.releasedFiles()).isEmpty();
    }

    @Test
    void aFailedCheckpointsOwnUploadsAreDeleted() throws IOException {
        SharedStateRegistry registry = new SharedStateRegistry();
        FileStateHandle retainedFile = file("retained", StateScope.SHARED);
        FileStateHandle ownUpload = file("own", StateScope.SHARED);
        registry.register(checkpoint(1, retainedFile));
        registry.discardUnregistered(List.of(retainedFile, ownUpload));
        assertThat(retainedFile.getPath().toLocalPath()).exists();
        assertThat(ownUpload.getPath().toLocalPath()).doesNotExist();
    }
}

package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

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
        return new FileStateHandle(StoragePath.fromLocal(path), scope, Files.size(path), 0);
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
}

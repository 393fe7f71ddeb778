package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemCheckpointStorageFactoryTest {
    @TempDir
    Path directory;

    private static CheckpointStorageFactory<?> factory(String name) {
        return ServiceLoader.load(CheckpointStorageFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void bothStoragesAreFoundByName() {
        assertThat(factory("jobmanager")
                        .createFromConfig(new Configuration(), getClass().getClassLoader()))
                .isInstanceOf(JobManagerCheckpointStorage.class);
        Configuration config = Configuration.fromMap(Map.of(
                "execution.checkpointing.dir", directory.toUri().toString(),
                "state.storage.fs.memory-threshold", "1kb",
                "execution.checkpointing.write-buffer-size", "8192"));
        FileSystemCheckpointStorage storage = (FileSystemCheckpointStorage)
                factory("filesystem").createFromConfig(config, getClass().getClassLoader());
        assertThat(storage.getCheckpointDirectory()).isEqualTo(StoragePath.fromLocal(directory));
        assertThat(storage.getInlineThreshold()).isEqualTo(1024);
        assertThat(storage.getWriteBufferSize()).isEqualTo(8192);
    }

    @Test
    void missingDirectoryAndOutOfRangeValuesAreClearErrors() {
        assertThatThrownBy(() -> factory("filesystem")
                        .createFromConfig(new Configuration(), getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("execution.checkpointing.dir");
        Configuration tooLarge = Configuration.fromMap(Map.of(
                "execution.checkpointing.dir",
                directory.toString(),
                "execution.checkpointing.data-inline-threshold",
                "2mb"));
        assertThatThrownBy(() -> factory("filesystem")
                        .createFromConfig(tooLarge, getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("execution.checkpointing.data-inline-threshold")
                .hasMessageContaining("2mb")
                .hasMessageContaining("1mb");
        Configuration badBuffer = Configuration.fromMap(Map.of(
                "execution.checkpointing.dir", directory.toString(), "execution.checkpointing.write-buffer-size", "0"));
        assertThatThrownBy(() -> factory("filesystem")
                        .createFromConfig(badBuffer, getClass().getClassLoader()))
                .hasMessageContaining("execution.checkpointing.write-buffer-size");
        assertThatThrownBy(() -> new CheckpointCoordinator.Settings(0, 1))
                .hasMessageContaining("execution.checkpointing.num-retained");
    }
}

package dev.cairn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.JobManagerCheckpointStorage;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.PredefinedOptions;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateBackendFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadersTest {
    @TempDir
    Path directory;

    private final ClassLoader loader = getClass().getClassLoader();

    /** A user's own backend, named by class in state.backend.type. */
    public static final class MyBackendFactory implements StateBackendFactory<MyBackend> {
        @Override
        public String name() {
            return "my-backend";
        }

        @Override
        public MyBackend createFromConfig(ReadableConfig config, ClassLoader classLoader) {
            return new MyBackend(config.get(ExecutionOptions.PIPELINE_NAME));
        }
    }

    /** Delegates to the heap backend; remembers the configuration it was created from. */
    public record MyBackend(String createdFor) implements StateBackend {
        @Override
        public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
            return new HashMapStateBackend().createKeyedStateBackend(parameters);
        }

        @Override
        public dev.cairn.state.spi.OperatorStateBackend createOperatorStateBackend(
                dev.cairn.state.spi.OperatorBackendParameters parameters) {
            return dev.cairn.state.support.DefaultOperatorStateBackend.create(parameters);
        }

        @Override
        public String getName() {
            return "my-backend";
        }
    }

    private static Configuration config(String... keyValues) {
        Configuration config = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.setString(keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    @Test
    void backendsByNameLegacyNameAndClassName() {
        assertThat(StateBackendLoader.load(new Configuration(), loader)).isInstanceOf(HashMapStateBackend.class);
        assertThat(StateBackendLoader.load(config("state.backend.type", "HashMap"), loader))
                .isInstanceOf(HashMapStateBackend.class);
        assertThat(StateBackendLoader.load(config("state.backend", "jobmanager"), loader))
                .isInstanceOf(HashMapStateBackend.class);
        assertThat(StateBackendLoader.load(config("state.backend", "filesystem"), loader))
                .isInstanceOf(HashMapStateBackend.class);
        StateBackend mine = StateBackendLoader.load(
                config("state.backend.type", MyBackendFactory.class.getName(), "pipeline.name", "orders"), loader);
        assertThat(mine).isEqualTo(new MyBackend("orders"));
    }

    @Test
    void rocksDbIsFoundByNameAndConfiguredFromTheSameConfiguration() {
        Configuration config = config(
                "state.backend.type", "rocksdb",
                "state.backend.rocksdb.predefined-options", "SPINNING_DISK_OPTIMIZED_HIGH_MEM",
                "state.backend.incremental", "true");
        EmbeddedRocksDBStateBackend backend = (EmbeddedRocksDBStateBackend) StateBackendLoader.load(config, loader);
        assertThat(backend.getPredefinedOptions()).isEqualTo(PredefinedOptions.SPINNING_DISK_OPTIMIZED_HIGH_MEM);
        assertThat(backend.isIncrementalCheckpointsEnabled()).isTrue();
        assertThatThrownBy(() -> StateBackendLoader.load(
                        config(
                                "state.backend.type",
                                "rocksdb",
                                "state.backend.rocksdb.memory.write-buffer-ratio",
                                "1.5"),
                        loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.rocksdb.memory.write-buffer-ratio")
                .hasMessageContaining("1.5")
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> StateBackendLoader.load(
                        config(
                                "state.backend.type",
                                "rocksdb",
                                "state.backend.rocksdb.options-factory",
                                "com.example.Nope"),
                        loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.rocksdb.options-factory")
                .hasMessageContaining("com.example.Nope");
    }

    @Test
    void newKeyWinsOverTheDeprecatedOne() {
        assertThat(StateBackendLoader.load(config("state.backend", "no-such", "state.backend.type", "hashmap"), loader))
                .isInstanceOf(HashMapStateBackend.class);
    }

    @Test
    void badBackendNamesAreClearErrors() {
        assertThatThrownBy(() -> StateBackendLoader.load(config("state.backend.type", "hashmapp"), loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.type")
                .hasMessageContaining("'hashmapp'")
                .hasMessageContaining("hashmap");
        assertThatThrownBy(() -> StateBackendLoader.load(config("state.backend.type", "com.example.Missing"), loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("com.example.Missing")
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> StateBackendLoader.load(config("state.backend.type", "java.lang.String"), loader))
                .hasMessageContaining("StateBackendFactory");
    }

    @Test
    void storageDefaultsFollowTheDirectoryAndLegacyBackends() {
        String dir = directory.toUri().toString();
        assertThat(CheckpointStorageLoader.load(new Configuration(), loader))
                .isInstanceOf(JobManagerCheckpointStorage.class);
        assertThat(CheckpointStorageLoader.load(config("execution.checkpointing.dir", dir), loader))
                .isInstanceOf(FileSystemCheckpointStorage.class);
        // The seed's migrations: MemoryStateBackend, FsStateBackend, RocksDBStateBackend.
        assertThat(CheckpointStorageLoader.load(config("state.backend", "jobmanager"), loader))
                .isInstanceOf(JobManagerCheckpointStorage.class);
        assertThat(CheckpointStorageLoader.load(
                        config("state.backend", "filesystem", "state.checkpoints.dir", dir), loader))
                .isInstanceOf(FileSystemCheckpointStorage.class);
        assertThat(CheckpointStorageLoader.selectedName(
                        config("state.backend.type", "rocksdb", "execution.checkpointing.dir", dir)))
                .isEqualTo("filesystem");
        assertThat(CheckpointStorageLoader.load(
                        config("execution.checkpointing.storage", "jobmanager", "execution.checkpointing.dir", dir),
                        loader))
                .isInstanceOf(JobManagerCheckpointStorage.class);
    }

    @Test
    void badStorageSettingsAreClearErrors() {
        assertThatThrownBy(() -> CheckpointStorageLoader.load(config("execution.checkpointing.storage", "s4"), loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("execution.checkpointing.storage")
                .hasMessageContaining("'s4'")
                .hasMessageContaining("filesystem");
        assertThatThrownBy(() ->
                        CheckpointStorageLoader.load(config("execution.checkpointing.storage", "filesystem"), loader))
                .hasMessageContaining("execution.checkpointing.dir");
        assertThatThrownBy(() -> CheckpointStorageLoader.load(
                        Configuration.fromMap(Map.of(
                                "execution.checkpointing.dir",
                                directory.toString(),
                                "execution.checkpointing.write-buffer-size",
                                "abc")),
                        loader))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("'abc'");
    }
}

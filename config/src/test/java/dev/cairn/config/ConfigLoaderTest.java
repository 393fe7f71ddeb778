package dev.cairn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.state.ConfigOption;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import dev.cairn.state.StateBackendOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path directory;

    @Test
    void flatAndNestedYamlGiveTheSameKeys() {
        Configuration flat = ConfigLoader.parseYaml("""
                state.backend.type: rocksdb
                execution.checkpointing.dir: file:///tmp/chk
                execution.checkpointing.interval: 10 s
                execution.checkpointing.data-inline-threshold: 4kb
                """, "flat.yaml");
        Configuration nested = ConfigLoader.parseYaml("""
                state:
                  backend:
                    type: rocksdb
                execution:
                  checkpointing:
                    dir: file:///tmp/chk
                    interval: 10 s
                    data-inline-threshold: 4kb
                """, "nested.yaml");
        assertThat(nested.toMap()).isEqualTo(flat.toMap());
        assertThat(flat.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(flat.get(ExecutionOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(flat.get(CheckpointingOptions.FS_SMALL_FILE_THRESHOLD)).isEqualTo(MemorySize.ofKibiBytes(4));
    }

    @Test
    void malformedFilesAndDuplicateKeysNameTheFile() throws IOException {
        Path file = Files.writeString(directory.resolve("cairn.yaml"), "state.backend.type: [unclosed");
        assertThatThrownBy(() -> ConfigLoader.loadYaml(file))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("cairn.yaml");
        assertThatThrownBy(
                        () -> ConfigLoader.parseYaml("state.backend.type: a\nstate:\n  backend.type: b\n", "dup.yaml"))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.type")
                .hasMessageContaining("dup.yaml");
        assertThatThrownBy(() -> ConfigLoader.loadYaml(directory.resolve("missing.yaml")))
                .hasMessageContaining("missing.yaml");
        assertThat(ConfigLoader.parseYaml("", "empty.yaml").keySet()).isEmpty();
    }

    @Test
    void environmentVariablesOverrideSingleKnownKeys() {
        Configuration file = Configuration.fromMap(Map.of("state.backend.type", "hashmap", "pipeline.name", "file"));
        Configuration result = ConfigLoader.applyEnvironment(
                file,
                Map.of(
                        "CAIRN_STATE_BACKEND_TYPE", "rocksdb",
                        "CAIRN_EXECUTION_CHECKPOINTING_NUM_RETAINED", "3",
                        "CAIRN_UNRELATED", "x",
                        "PATH", "/bin"));
        assertThat(result.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(result.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isEqualTo(3);
        assertThat(result.get(ExecutionOptions.PIPELINE_NAME)).isEqualTo("file");
        assertThat(result.keySet()).doesNotContain("CAIRN_UNRELATED", "unrelated");
        assertThat(ConfigLoader.environmentVariable("execution.checkpointing.data-inline-threshold"))
                .isEqualTo("CAIRN_EXECUTION_CHECKPOINTING_DATA_INLINE_THRESHOLD");
    }

    @Test
    void unknownKeysUnderOwnedPrefixesWarnWithTheClosestKnownKey() {
        Configuration config = Configuration.fromMap(Map.of(
                "state.backend.typ", "rocksdb",
                "execution.checkpointing.num-retaind", "2",
                "state.checkpoints.dir", "/legacy/but/known",
                "taskmanager.memory.size", "1g"));
        List<String> warnings = ConfigLoader.warnAboutUnknownKeys(config);
        assertThat(warnings).hasSize(2);
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w).contains("'state.backend.typ'").contains("'state.backend.type'"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("'execution.checkpointing.num-retained'"));
    }

    @Test
    void everyOwnedFamilyIsCheckedAndSuggestionsStayInTheFamily() {
        Configuration config = Configuration.fromMap(Map.of(
                "pipeline.nmae", "job",
                "execution.checkpointing.intervall", "10 s",
                "kafka.checkpoint-intervall", "1 s"));
        List<String> warnings = ConfigLoader.warnAboutUnknownKeys(config);
        assertThat(warnings).hasSize(3);
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w).contains("'pipeline.nmae'").contains("'pipeline.name'"));
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w)
                        .contains("'execution.checkpointing.intervall'")
                        .contains("'execution.checkpointing.interval'"));
        assertThat(warnings)
                .anySatisfy(w ->
                        assertThat(w).contains("'kafka.checkpoint-intervall'").contains("'kafka.checkpoint-interval'"));
    }

    @Test
    void anEmptyFileLoadsAsDefaults() throws Exception {
        Path empty = Files.createTempFile("cairn-empty", ".yaml");
        try {
            assertThat(ConfigLoader.loadYaml(empty).keySet()).isEmpty();
        } finally {
            Files.delete(empty);
        }
    }

    @Test
    void theExampleConfigurationLoadsCleanly() {
        Configuration example = ConfigLoader.loadYaml(Path.of("..", "examples", "conf", "cairn.yaml"));
        assertThat(ConfigLoader.warnAboutUnknownKeys(example)).isEmpty();
        assertThat(example.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(example.get(ExecutionOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(CheckpointStorageLoader.selectedName(example)).isEqualTo("filesystem");
    }

    @Test
    void noCurrentKeyIsADotPrefixOfAnother() {
        // The nested YAML form could not express both a.b and a.b.c: one would silently shadow the other.
        Set<String> keys = new HashSet<>();
        for (ConfigOption<?> option : KnownOptions.all()) {
            assertThat(keys.add(option.key()))
                    .as("duplicate key %s", option.key())
                    .isTrue();
        }
        for (String key : keys) {
            for (String other : keys) {
                assertThat(other.startsWith(key + "."))
                        .as("'%s' is a dot-prefix of '%s'", key, other)
                        .isFalse();
            }
        }
    }

    @Test
    void everyOptionHasADescription() {
        for (ConfigOption<?> option : KnownOptions.all()) {
            assertThat(option.description()).as(option.key()).isNotBlank();
        }
    }

    @Test
    void configurationReferenceIsUpToDate() throws IOException {
        Path docs = Path.of("..", "docs", "config.md");
        String generated = ConfigDocs.markdown();
        if (Boolean.getBoolean("cairn.regenerateDocs")) {
            Files.writeString(docs, generated);
        }
        assertThat(Files.readString(docs))
                .as("docs/config.md is stale: run ./mvnw -pl config test -Dcairn.regenerateDocs=true")
                .isEqualTo(generated);
    }

    @Test
    void readmeConfigurationTableIsUpToDate() throws IOException {
        Path readme = Path.of("..", "README.md");
        String begin = "<!-- config-table:begin -->\n";
        String end = "<!-- config-table:end -->";
        String text = Files.readString(readme);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("README has the config-table markers").isNotNegative();
        if (Boolean.getBoolean("cairn.regenerateDocs")) {
            text = text.substring(0, from + begin.length()) + ConfigDocs.table() + text.substring(to);
            Files.writeString(readme, text);
            to = text.indexOf(end);
        }
        assertThat(text.substring(from + begin.length(), to))
                .as("README's configuration table is stale: run ./mvnw -pl config test -Dcairn.regenerateDocs=true")
                .isEqualTo(ConfigDocs.table());
    }
}

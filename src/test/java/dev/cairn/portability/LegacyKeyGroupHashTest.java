package dev.cairn.portability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checkpoints and savepoints written while Cairn assigned key groups with its earlier hash (the fixture in
 * {@code src/test/resources/legacy-key-group-hash}, written by Cairn 3bda2b9 at parallelism 2) restore into
 * today's Flink-compatible key groups at any parallelism, every key found at the instance that owns it now; native
 * RocksDB checkpoints of that time are refused with a clear error.
 */
class LegacyKeyGroupHashTest {
    private static final String FIXTURE_ROOT = "/tmp/cairn-legacy-fixture";

    @TempDir
    Path directory;

    private final ValueStateDescriptor<Long> count = new ValueStateDescriptor<>("count", Serializers.LONG);
    private final ListStateDescriptor<Long> events = new ListStateDescriptor<>("events", Serializers.LONG);
    private final MapStateDescriptor<Integer, String> tags =
            new MapStateDescriptor<>("tags", Serializers.INT, Serializers.STRING);

    /** Copies the fixture here and points its absolute changelog paths at the copy. */
    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(getClass().getResource("/legacy-key-group-hash").toURI());
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path file : files.toList()) {
                Path target = directory.resolve(fixture.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (file.getFileName().toString().equals("_metadata")) {
                    Files.writeString(target, Files.readString(file).replace(FIXTURE_ROOT, directory.toString()));
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private String pointer(String mode, String kind) {
        Path parent = directory.resolve(mode).resolve(kind.equals("checkpoint") ? "checkpoints/legacy" : "savepoints");
        try (Stream<Path> children = Files.list(parent)) {
            Path snapshot = children.filter(Files::isDirectory)
                    .filter(p ->
                            p.getFileName().toString().startsWith(kind.equals("checkpoint") ? "chk-" : "savepoint"))
                    .findFirst()
                    .orElseThrow();
            return snapshot.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Configuration restoreConfig(String pointer, String backend, boolean changelog) {
        Configuration config = new Configuration()
                .setString("state.backend.type", backend)
                .setString("execution.state-recovery.path", pointer)
                .setString(
                        "execution.checkpointing.dir",
                        directory.resolve("new-checkpoints").toUri().toString())
                .setString("pipeline.name", "restored")
                // Where the fixture's changelog files are: checkpoint metadata may name files there only.
                .setString(
                        "state.changelog.dstl.dfs.base-path",
                        directory.resolve("changelog/changelog").toUri().toString());
        if (changelog) {
            config.setString("state.changelog.enabled", "true").setString("state.changelog.storage", "filesystem");
        }
        return config;
    }

    @ParameterizedTest(name = "{0} {1} into {2} (changelog {3}), parallelism {4}")
    @CsvSource({
        "hashmap, checkpoint, hashmap, false, 1",
        "hashmap, checkpoint, rocksdb, false, 3",
        "hashmap, savepoint, hashmap, false, 3",
        "rocksdb, savepoint, rocksdb, false, 1",
        "rocksdb, savepoint, hashmap, false, 3",
        "changelog, checkpoint, hashmap, true, 3",
        "changelog, checkpoint, rocksdb, false, 1",
        "changelog, savepoint, rocksdb, true, 3",
    })
    void everyKeyIsFoundWhereItBelongsNow(String mode, String kind, String backend, boolean changelog, int parallelism)
            throws Exception {
        try (StateEnvironment env = StateEnvironment.create(restoreConfig(pointer(mode, kind), backend, changelog))) {
            List<KeyedStateStore<String>> instances = new ArrayList<>();
            for (int index = 0; index < parallelism; index++) {
                instances.add(env.keyedBackend("counts", Serializers.STRING, index, parallelism));
            }
            int keys = 0;
            for (int i = 0; i < 200; i++) {
                String key = "user-" + i;
                int owner = KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                        128, parallelism, KeyGroupRangeAssignment.assignToKeyGroup(key, 128));
                KeyedStateStore<String> instance = instances.get(owner);
                instance.setCurrentKey(key);
                assertThat(instance.getState(count).value()).as(key).isEqualTo(i);
                assertThat(instance.getState(events).get()).as(key).containsExactly((long) i, (long) i + 1);
                Map<Integer, String> map = new HashMap<>();
                instance.getState(tags).entries().forEach(e -> map.put(e.getKey(), e.getValue()));
                assertThat(map).as(key).isEqualTo(Map.of(i, "tag-" + i, i + 1000, "more-" + i));
                keys++;
            }
            long listed = instances.stream()
                    .mapToLong(b -> b.getKeys("count", dev.cairn.state.VoidNamespace.INSTANCE)
                            .count())
                    .sum();
            assertThat(listed).as("every key once, in its new owner only").isEqualTo(keys);
            // What this version writes is in Flink's key groups and restores like any new snapshot.
            String again = env.triggerSavepoint(directory.resolve("again").toString())
                    .get()
                    .getPointer();
            // Another job name: this environment still owns the first one's checkpoint directory.
            try (StateEnvironment next = StateEnvironment.create(
                    restoreConfig(again, "hashmap", false).setString("pipeline.name", "restored-again"))) {
                KeyedStateStore<String> whole = next.keyedBackend("counts", Serializers.STRING);
                whole.setCurrentKey("user-7");
                assertThat(whole.getState(count).value()).isEqualTo(7L);
            }
        }
    }

    @ParameterizedTest(name = "native checkpoint into rocksdb, parallelism {0}")
    @CsvSource({"1", "2"})
    void nativeRocksDBCheckpointsOfTheEarlierHashAreRefusedClearly(int parallelism) {
        assertThatThrownBy(() -> {
                    try (StateEnvironment env = StateEnvironment.create(
                            restoreConfig(pointer("rocksdb", "checkpoint"), "rocksdb", false))) {
                        env.keyedBackend("counts", Serializers.STRING, 0, parallelism);
                    }
                })
                .hasStackTraceContaining("earlier key-group hash")
                .hasStackTraceContaining("savepoint");
    }
}

package dev.cairn.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStats;
import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CheckpointStorageAccess;
import dev.cairn.checkpoint.CheckpointStorageLocation;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.JobManagerCheckpointStorage;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.state.CheckpointedFunction;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateBackendOptions;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateEnvironmentTest {
    @TempDir
    Path directory;

    private final ValueStateDescriptor<Long> count = new ValueStateDescriptor<>("count", Serializers.LONG);

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private long millis;

        void advance(Duration duration) {
            millis += duration.toMillis();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private String checkpointDir() {
        return directory.resolve("checkpoints").toUri().toString();
    }

    @Test
    void theSeedsProgrammaticSnippets() throws Exception {
        // config.set(StateBackendOptions.STATE_BACKEND, "hashmap"); env.configure(config)
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        config.set(CheckpointingOptions.FS_WRITE_BUFFER_SIZE, 4 * 1024);
        try (StateEnvironment env = StateEnvironment.create()) {
            env.configure(config);
            env.getCheckpointConfig().setCheckpointStorage(checkpointDir());
            assertThat(env.getStateBackend()).isInstanceOf(HashMapStateBackend.class);
            FileSystemCheckpointStorage storage = (FileSystemCheckpointStorage) env.getCheckpointStorage();
            assertThat(storage.getWriteBufferSize()).isEqualTo(4096);
        }
        // env.setStateBackend(new HashMapStateBackend()) with storage objects
        try (StateEnvironment env = StateEnvironment.create()) {
            env.setStateBackend(new HashMapStateBackend());
            env.getCheckpointConfig().setCheckpointStorage(new JobManagerCheckpointStorage());
            assertThat(env.getCheckpointStorage()).isInstanceOf(JobManagerCheckpointStorage.class);
        }
        try (StateEnvironment env = StateEnvironment.create()) {
            env.getCheckpointConfig().setCheckpointStorage(new FileSystemCheckpointStorage(checkpointDir()));
            assertThat(env.getCheckpointStorage()).isInstanceOf(FileSystemCheckpointStorage.class);
        }
    }

    @Test
    void codeOverridesTheConfigFile() throws Exception {
        Path file = Files.writeString(directory.resolve("cairn.yaml"), """
                state.backend.type: com.example.NotOnTheClasspath
                execution.checkpointing.storage: jobmanager
                execution.checkpointing.num-retained: 5
                pipeline.name: from-file
                """);
        try (StateEnvironment env = StateEnvironment.fromConfigFile(file)) {
            env.setStateBackend(new HashMapStateBackend());
            env.configure(Configuration.fromMap(Map.of("execution.checkpointing.num-retained", "2")));
            assertThat(env.getStateBackend()).isInstanceOf(HashMapStateBackend.class);
            assertThat(env.getConfiguration().get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS))
                    .isEqualTo(2);
            assertThat(env.getConfiguration().get(ExecutionOptions.PIPELINE_NAME))
                    .isEqualTo("from-file");
        }
        try (StateEnvironment env = StateEnvironment.fromConfigFile(file)) {
            assertThatThrownBy(env::getStateBackend)
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("com.example.NotOnTheClasspath");
        }
    }

    /** A storage whose checkpoints complete only when {@code release} counts down. */
    private static CheckpointStorage completingOn(
            java.util.concurrent.CountDownLatch release, CheckpointStorage delegate) {
        return new CheckpointStorage() {
            @Override
            public CheckpointStorageAccess createAccess(String jobId) throws java.io.IOException {
                CheckpointStorageAccess access = delegate.createAccess(jobId);
                return new CheckpointStorageAccess() {
                    @Override
                    public CheckpointStorageLocation initializeCheckpoint(
                            long checkpointId, StreamWriteListener listener) throws java.io.IOException {
                        CheckpointStorageLocation location = access.initializeCheckpoint(checkpointId, listener);
                        return new CheckpointStorageLocation() {
                            @Override
                            public dev.cairn.state.spi.CheckpointStreamFactory getStreamFactory() {
                                return location.getStreamFactory();
                            }

                            @Override
                            public CompletedCheckpoint complete(CheckpointMetadata metadata)
                                    throws java.io.IOException {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    throw new java.io.InterruptedIOException();
                                }
                                return location.complete(metadata);
                            }

                            @Override
                            public void abort() {
                                location.abort();
                            }

                            @Override
                            public String pointer() {
                                return location.pointer();
                            }
                        };
                    }

                    @Override
                    public CheckpointStorageLocation initializeSavepoint(
                            long checkpointId, String targetDirectory, StreamWriteListener listener)
                            throws java.io.IOException {
                        return access.initializeSavepoint(checkpointId, targetDirectory, listener);
                    }

                    @Override
                    public java.util.List<CompletedCheckpoint> findCompletedCheckpoints() throws java.io.IOException {
                        return access.findCompletedCheckpoints();
                    }

                    @Override
                    public long highestCheckpointId() throws java.io.IOException {
                        return access.highestCheckpointId();
                    }

                    @Override
                    public void cleanupIncompleteCheckpoints(java.util.Set<Long> inProgress)
                            throws java.io.IOException {
                        access.cleanupIncompleteCheckpoints(inProgress);
                    }
                };
            }

            @Override
            public CompletedCheckpoint resolve(String pointer) throws java.io.IOException {
                return delegate.resolve(pointer);
            }
        };
    }

    @Test
    void aDueCheckpointWaitsForTheOneInProgressInsteadOfFailing() throws Exception {
        ManualClock clock = new ManualClock();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (StateEnvironment env = StateEnvironment.create(new Configuration(), clock)) {
            env.getCheckpointConfig()
                    .setCheckpointStorage(completingOn(release, new FileSystemCheckpointStorage(checkpointDir())));
            env.enableCheckpointing(Duration.ofSeconds(1));
            Completions completions = new Completions();
            env.addCheckpointListener(completions);
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            backend.getState(count).update(1L);
            clock.advance(Duration.ofSeconds(1));
            assertThat(env.checkpointIfDue()).isTrue();
            for (int tick = 0; tick < 100; tick++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(env.checkpointIfDue())
                        .as("tick %d: the first checkpoint still runs", tick)
                        .isFalse();
            }
            assertThat(env.getCheckpointCoordinator().getPendingCheckpoints()).isEqualTo(1);
            release.countDown();
            completions.awaitNext();
            clock.advance(Duration.ofSeconds(1));
            assertThat(env.checkpointIfDue()).as("due and free again").isTrue();
        }
    }

    @Test
    void claimModeIsValidatedWithoutARecoveryPath() {
        try (StateEnvironment env = StateEnvironment.create(
                Configuration.fromMap(Map.of("execution.state-recovery.claim-mode", "CLAIMS")))) {
            assertThatThrownBy(env::getStateBackend)
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("execution.state-recovery.claim-mode")
                    .hasMessageContaining("CLAIMS");
        }
    }

    @Test
    void periodicCheckpointsAndRestoreFromTheLatestOnStart() throws Exception {
        ManualClock clock = new ManualClock();
        Configuration config = Configuration.fromMap(
                Map.of("execution.checkpointing.dir", checkpointDir(), "pipeline.name", "counter"));
        try (StateEnvironment env = StateEnvironment.create(config, clock)) {
            env.enableCheckpointing(Duration.ofSeconds(10));
            Completions completions = new Completions();
            env.addCheckpointListener(completions);
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            ValueState<Long> state = backend.getState(count);
            backend.setCurrentKey("a");
            state.update(1L);
            assertThat(env.checkpointIfDue()).isFalse();
            clock.advance(Duration.ofSeconds(10));
            assertThat(env.checkpointIfDue()).isTrue();
            assertThat(env.checkpointIfDue()).isFalse();
            completions.awaitNext();
            state.update(2L);
            env.triggerCheckpoint().get();
            state.update(3L); // never checkpointed
            assertThat(env.getCheckpointCoordinator()
                            .getLatestCompletedCheckpoint()
                            .orElseThrow()
                            .getCheckpointId())
                    .isEqualTo(2);
        }
        try (StateEnvironment env = StateEnvironment.create(config, clock)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING, 0, 1);
            assertThat(env.getRestoredCheckpoint().orElseThrow().getCheckpointId())
                    .isEqualTo(2);
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isEqualTo(2L);
            assertThatThrownBy(() -> env.setStateBackend(new HashMapStateBackend()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"hashmap", "rocksdb"})
    void aStateFileOfTheLatestCheckpointDamagedInsideIsRefusedByTheBackendNamingItAndTheEarlierCheckpoints(
            String backendType) throws Exception {
        Configuration config = Configuration.fromMap(Map.of(
                "execution.checkpointing.dir",
                checkpointDir(),
                "pipeline.name",
                "damaged",
                "state.backend.type",
                backendType,
                "execution.checkpointing.data-inline-threshold",
                "0b",
                "execution.checkpointing.num-retained",
                "2"));
        String earlier;
        List<Path> files;
        try (StateEnvironment env = StateEnvironment.create(config)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            backend.getState(count).update(1L);
            earlier = env.triggerCheckpoint().get().getPointer();
            backend.getState(count).update(2L);
            files = env.triggerCheckpoint().get().files().stream()
                    .map(file -> file.getPath().toLocalPath())
                    .filter(path -> !path.toString().contains("/chk-1/"))
                    .filter(path -> path.toFile().length() > 0)
                    .toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            byte[] original = Files.readAllBytes(file);
            byte[] damaged = original.clone();
            damaged[damaged.length / 2] ^= 0x08; // same length: only reading the bytes reveals it
            Files.write(file, damaged);
            try (StateEnvironment env = StateEnvironment.create(config)) {
                assertThatThrownBy(() -> env.keyedBackend("counter", Serializers.STRING))
                        .as("damage in %s", file)
                        .isInstanceOf(dev.cairn.state.CorruptCheckpointException.class)
                        .hasMessageContaining(file.getFileName().toString())
                        .hasMessageContaining("latest checkpoint 2")
                        .hasMessageContaining("does not fall back")
                        .hasMessageContaining(earlier);
            }
            Files.write(file, original);
        }
        try (StateEnvironment env = StateEnvironment.create(config)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isEqualTo(2L);
        }
    }

    @Test
    void withoutFromLatestCheckpointAJobStartsEmptyBesideItsCheckpointsAndContinuesTheirIds() throws Exception {
        Configuration config = Configuration.fromMap(
                Map.of("execution.checkpointing.dir", checkpointDir(), "pipeline.name", "fresh-start"));
        ValueStateDescriptor<Long> count = new ValueStateDescriptor<>("count", Serializers.LONG);
        try (StateEnvironment env = StateEnvironment.create(config)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            backend.getState(count).update(7L);
            env.triggerCheckpoint().get();
        }
        Configuration fresh =
                new Configuration(config).setString("execution.state-recovery.from-latest-checkpoint", "false");
        try (StateEnvironment env = StateEnvironment.create(fresh)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            assertThat(env.getRestoredCheckpoint()).isEmpty();
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isNull();
            assertThat(env.triggerCheckpoint().get().getCheckpointId()).isEqualTo(2);
        }
        try (StateEnvironment env = StateEnvironment.create(config)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            assertThat(env.getRestoredCheckpoint().orElseThrow().getCheckpointId())
                    .isEqualTo(2);
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isNull();
        }
    }

    @Test
    void theChangelogIsSwitchedOnByConfigurationAndOffAgainAcrossRestarts() throws Exception {
        Map<String, String> settings = Map.of(
                "execution.checkpointing.dir", checkpointDir(),
                "pipeline.name", "changelog-job",
                "state.backend.type", "rocksdb",
                "state.changelog.storage", "filesystem",
                "state.changelog.dstl.dfs.base-path",
                        directory.resolve("changelog").toUri().toString());
        Configuration config = Configuration.fromMap(settings);
        try (StateEnvironment env = StateEnvironment.create(config)) {
            env.enableChangelogStateBackend(true);
            assertThat(env.getStateBackend()).isInstanceOf(dev.cairn.changelog.ChangelogStateBackend.class);
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            backend.getState(count).update(5L);
            assertThat(env.triggerCheckpoint().get().getKeyedState("counter"))
                    .as("the checkpoint is written by the changelog backend")
                    .allMatch(handle -> handle instanceof dev.cairn.changelog.ChangelogStateBackendHandle);
        }
        try (StateEnvironment env = StateEnvironment.create(config)) { // changelog off: restored by replay
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isEqualTo(5L);
            backend.getState(count).update(6L);
            assertThat(env.triggerCheckpoint().get().getKeyedState("counter"))
                    .as("the checkpoint is written by the heap backend alone")
                    .isNotEmpty()
                    .noneMatch(handle -> handle instanceof dev.cairn.changelog.ChangelogStateBackendHandle);
        }
        Configuration withChangelog =
                new Configuration(config).set(dev.cairn.changelog.StateChangelogOptions.ENABLED, true);
        try (StateEnvironment env = StateEnvironment.create(withChangelog)) {
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            assertThat(backend.getState(count).value()).isEqualTo(6L);
        }
    }

    /** Counts the checkpoints that complete; add it before they start. */
    private static final class Completions implements CheckpointProgressListener {
        private final java.util.concurrent.Semaphore completed = new java.util.concurrent.Semaphore(0);

        @Override
        public void checkpointCompleted(CheckpointStats stats) {
            completed.release();
        }

        /** Waits (at most 30 s) for the next completion not waited for yet. */
        void awaitNext() throws InterruptedException {
            assertThat(completed.tryAcquire(30, java.util.concurrent.TimeUnit.SECONDS))
                    .as("a checkpoint completed")
                    .isTrue();
        }
    }

    @Test
    void restoreFromAnExplicitSavepointPath() throws Exception {
        Configuration config = Configuration.fromMap(Map.of("execution.checkpointing.dir", checkpointDir()));
        String savepoint;
        try (StateEnvironment env = StateEnvironment.create(config)) {
            KeyedStateStore<String> backend = env.keyedBackend("op", Serializers.STRING);
            backend.setCurrentKey("k");
            backend.getState(count).update(42L);
            savepoint = env.triggerSavepoint(directory.resolve("savepoints").toString())
                    .get()
                    .getPointer();
        }
        Configuration restore = new Configuration(config)
                .setString("execution.state-recovery.path", savepoint)
                .setString("pipeline.name", "another-job");
        try (StateEnvironment env = StateEnvironment.create(restore)) {
            KeyedStateStore<String> backend = env.keyedBackend("op", Serializers.STRING);
            backend.setCurrentKey("k");
            assertThat(backend.getState(count).value()).isEqualTo(42L);
        }
    }

    /** A source that owns partition offsets and keeps them in even-split operator state. */
    static final class OffsetSource implements CheckpointedFunction {
        final Map<String, Long> offsets = new java.util.TreeMap<>();
        boolean restored;
        private ListState<String> state;

        @Override
        public void initializeState(FunctionInitializationContext context) {
            restored = context.isRestored();
            state = context.getOperatorStateStore()
                    .getListState(new ListStateDescriptor<>("offsets", Serializers.STRING));
            for (String entry : state.get()) {
                String[] parts = entry.split("=");
                offsets.put(parts[0], Long.parseLong(parts[1]));
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            List<String> entries = new java.util.ArrayList<>();
            offsets.forEach((partition, offset) -> entries.add(partition + "=" + offset));
            state.update(entries);
        }
    }

    @Test
    void checkpointedFunctionsAreInitializedSnapshottedAndRedistributed() throws Exception {
        Configuration config = Configuration.fromMap(Map.of("execution.checkpointing.dir", checkpointDir()));
        try (StateEnvironment env = StateEnvironment.create(config)) {
            OffsetSource source = new OffsetSource();
            env.registerCheckpointedFunction("source", source);
            assertThat(source.restored).isFalse();
            for (int partition = 0; partition < 6; partition++) {
                source.offsets.put("p" + partition, 100L * partition);
            }
            env.triggerCheckpoint().get();
            source.offsets.put("p0", 999L); // after the checkpoint
        }
        Map<String, Long> all = new java.util.TreeMap<>();
        try (StateEnvironment env = StateEnvironment.create(config)) {
            for (int index = 0; index < 2; index++) {
                OffsetSource source = new OffsetSource();
                env.registerCheckpointedFunction("source", source, index, 2);
                assertThat(source.restored).isTrue();
                assertThat(source.offsets).hasSize(3);
                all.putAll(source.offsets);
            }
        }
        assertThat(all).containsEntry("p0", 0L).containsEntry("p5", 500L).hasSize(6);
    }

    @Test
    void invalidSettingsAreClearErrors() {
        try (StateEnvironment env = StateEnvironment.create()) {
            assertThatThrownBy(() -> env.enableCheckpointing(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("execution.checkpointing.interval");
        }
        try (StateEnvironment env =
                StateEnvironment.create(Configuration.fromMap(Map.of("execution.checkpointing.interval", "abc")))) {
            assertThatThrownBy(() -> env.keyedBackend("op", Serializers.STRING))
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("'abc'");
        }
        try (StateEnvironment env =
                StateEnvironment.create(Configuration.fromMap(Map.of("execution.checkpointing.num-retained", "0")))) {
            assertThatThrownBy(() -> env.keyedBackend("op", Serializers.STRING))
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("num-retained");
        }
        try (StateEnvironment env = StateEnvironment.create(
                Configuration.fromMap(Map.of("execution.checkpointing.max-concurrent-checkpoints", "2")))) {
            env.enableChangelogStateBackend(true);
            assertThatThrownBy(() -> env.keyedBackend("op", Serializers.STRING))
                    .as("the changelog backend allows one checkpoint at a time")
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("max-concurrent-checkpoints")
                    .hasMessageContaining("state.changelog.enabled");
        }
        try (StateEnvironment env = StateEnvironment.create(Configuration.fromMap(
                Map.of("state.changelog.enabled", "true", "state.changelog.storage", "filesystem")))) {
            assertThatThrownBy(() -> env.keyedBackend("op", Serializers.STRING))
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("state.changelog.dstl.dfs.base-path");
        }
    }

    @Test
    void theCheckpointHistoryKeepsTheLastCheckpointsWithTheirSizes() throws Exception {
        Configuration config = Configuration.fromMap(
                Map.of("execution.checkpointing.dir", checkpointDir(), "web.checkpoints.history", "2"));
        try (StateEnvironment env = StateEnvironment.create(config)) {
            dev.cairn.checkpoint.CheckpointHistory history = env.getCheckpointHistory();
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            for (long round = 1; round <= 3; round++) {
                backend.setCurrentKey("key" + round);
                backend.getState(count).update(round);
                env.triggerCheckpoint().get();
            }
            assertThat(env.getCheckpointHistory()).isSameAs(history);
            assertThat(history.entries())
                    .extracting(dev.cairn.checkpoint.CheckpointHistory.Entry::checkpointId)
                    .containsExactly(3L, 2L);
            assertThat(history.entries()).allSatisfy(entry -> {
                assertThat(entry.status()).isEqualTo(dev.cairn.checkpoint.CheckpointHistory.Status.COMPLETED);
                assertThat(entry.stateSize()).isPositive();
                assertThat(entry.checkpointedSize()).isPositive();
            });
            assertThat(history.summary().completed()).isEqualTo(3);
            assertThat(history.toJson()).contains("\"completed\" : 3");
        }
        Configuration invalid = Configuration.fromMap(Map.of("web.checkpoints.history", "0"));
        try (StateEnvironment env = StateEnvironment.create(invalid)) {
            assertThatThrownBy(env::getCheckpointHistory)
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining("web.checkpoints.history");
        }
    }

    @Test
    void healthFollowsCheckpointsDownAfterThreeIntervalsAndDegradedAfterAFailure() throws Exception {
        ManualClock clock = new ManualClock();
        Configuration config = Configuration.fromMap(Map.of(
                "execution.checkpointing.dir", checkpointDir(),
                "pipeline.name", "health-job",
                "execution.checkpointing.interval", "10 s"));
        try (StateEnvironment env = StateEnvironment.create(config, clock)) {
            assertThat(env.health()).isEqualTo(new Health(Health.Status.UP, "not started"));
            KeyedStateStore<String> backend = env.keyedBackend("counter", Serializers.STRING);
            backend.setCurrentKey("a");
            backend.getState(count).update(1L);
            assertThat(env.health().status()).isEqualTo(Health.Status.UP);
            clock.advance(Duration.ofSeconds(31));
            assertThat(env.health().status())
                    .as("no checkpoint since the start, three intervals ago")
                    .isEqualTo(Health.Status.DOWN);

            env.triggerCheckpoint().get();
            assertThat(env.health()).isEqualTo(new Health(Health.Status.UP, "checkpoint 1 completed 0 ms ago"));
            clock.advance(Duration.ofSeconds(30));
            assertThat(env.health().status()).as("exactly three intervals").isEqualTo(Health.Status.UP);
            clock.advance(Duration.ofSeconds(1));
            assertThat(env.health())
                    .isEqualTo(new Health(
                            Health.Status.DOWN,
                            "no checkpoint completed for 31000 ms (more than 3 intervals of 10000 ms)"));

            // Checkpoint 2 cannot be written: a completed checkpoint of that id is in the way.
            Path taken = occupy(2);
            assertThatThrownBy(() -> env.triggerCheckpoint().get()).hasMessageContaining("already exists");
            Health afterFailure = env.health();
            assertThat(afterFailure.status())
                    .as("still more than three intervals")
                    .isEqualTo(Health.Status.DOWN);
            assertThat(afterFailure.reason()).contains("; checkpoint 2 failed: ");
            deleteTree(taken);
            env.triggerCheckpoint().get();
            assertThat(env.health().status()).isEqualTo(Health.Status.UP);

            Path takenAgain = occupy(4);
            assertThatThrownBy(() -> env.triggerCheckpoint().get()).hasMessageContaining("already exists");
            assertThat(env.health().status()).isEqualTo(Health.Status.DEGRADED);
            assertThat(env.health().reason()).startsWith("checkpoint 4 failed: ");
            deleteTree(takenAgain);
        }
        try (StateEnvironment off = StateEnvironment.create(Configuration.fromMap(
                Map.of("execution.checkpointing.dir", checkpointDir(), "pipeline.name", "no-interval")))) {
            off.keyedBackend("counter", Serializers.STRING);
            assertThat(off.health()).isEqualTo(new Health(Health.Status.UP, "periodic checkpoints are off"));
        }
    }

    /** Makes checkpoint {@code id} of the health job look completed already, so that writing it fails. */
    private Path occupy(long id) throws java.io.IOException {
        Path checkpoint = directory.resolve("checkpoints").resolve("health-job").resolve("chk-" + id);
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve("_metadata"), "{}");
        return checkpoint;
    }

    private static void deleteTree(Path path) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}

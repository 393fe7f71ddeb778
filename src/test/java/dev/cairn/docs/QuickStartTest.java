package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.config.StateEnvironment;
import dev.cairn.state.CheckpointedFunction;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.ReducingState;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's code samples are this code: they must compile, run, and match the README verbatim. */
class QuickStartTest {
    @Test
    void quickStartWorks() throws Exception {
        // README:quick-start:begin
        StateBackend stateBackend = new HashMapStateBackend();
        CheckpointStreamFactory checkpoints = new MemoryCheckpointStreamFactory();
        ValueStateDescriptor<Long> clicksDescriptor = new ValueStateDescriptor<>("clicks", Serializers.LONG);

        // One keyed backend per operator instance; here keys are user names.
        KeyedStateHandle checkpoint;
        try (CheckpointableKeyedStateBackend<String> backend = stateBackend.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.STRING).build())) {
            ValueState<Long> clicks = backend.getState(clicksDescriptor);
            for (String user : List.of("alice", "bob", "alice")) {
                backend.setCurrentKey(user);
                Long current = clicks.value();
                clicks.update(current == null ? 1 : current + 1);
            }
            // The synchronous part runs in snapshot(); the future writes the bytes (run it on any thread).
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                    backend.snapshot(1L, System.currentTimeMillis(), checkpoints, SnapshotOptions.checkpoint());
            snapshot.run();
            checkpoint = snapshot.get().getHandle();
        }

        // After a failure: restore into instance 1 of 2 (any parallelism works: rescaling).
        try (CheckpointableKeyedStateBackend<String> restored =
                stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .instance(1, 2)
                        .restoreFrom(List.of(checkpoint))
                        .build())) {
            restored.setCurrentKey("alice"); // "alice" is in key group 116, owned by instance 1 of 2
            System.out.println(
                    "alice clicked " + restored.getState(clicksDescriptor).value() + " times");
        }
        // README:quick-start:end

        try (CheckpointableKeyedStateBackend<String> restored =
                stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .instance(1, 2)
                        .restoreFrom(List.of(checkpoint))
                        .build())) {
            restored.setCurrentKey("alice");
            assertThat(restored.getState(clicksDescriptor).value()).isEqualTo(2L);
        }
    }

    @Test
    void checkpointingWithTheCoordinatorWorks(@TempDir Path directory) throws Exception {
        String checkpointDir = directory.resolve("checkpoints").toUri().toString();
        ExecutorService snapshotThreads = Executors.newFixedThreadPool(2);
        try {
            // README:checkpointing:begin
            CheckpointStorage storage = new FileSystemCheckpointStorage(checkpointDir);
            CheckpointCoordinator coordinator = new CheckpointCoordinator(
                    storage.createAccess("click-counter"), new CheckpointCoordinator.Settings(2, 1), snapshotThreads);

            // On start: restore the latest completed checkpoint, if there is one.
            Optional<CheckpointCoordinator.RestoreSession> restore = coordinator.restoreLatest();
            List<KeyedStateHandle> restored =
                    restore.map(session -> session.keyedState("clicks")).orElse(List.of());
            CheckpointableKeyedStateBackend<String> backend = new HashMapStateBackend()
                    .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                            .operatorIdentifier("clicks")
                            .restoreFrom(restored)
                            .build());
            restore.ifPresent(CheckpointCoordinator.RestoreSession::close);
            coordinator.registerKeyedBackend("clicks", backend);

            // ... process records ..., then from the processing thread:
            CompletableFuture<CompletedCheckpoint> checkpoint = coordinator.triggerCheckpoint();
            // README:checkpointing:end
            backend.setCurrentKey("alice");
            backend.getState(new ValueStateDescriptor<>("clicks", Serializers.LONG))
                    .update(7L);
            assertThat(checkpoint.get().getCheckpointId()).isEqualTo(1);
            CompletedCheckpoint second = coordinator.triggerCheckpoint().get();
            backend.close();

            CheckpointCoordinator restarted = new CheckpointCoordinator(
                    storage.createAccess("click-counter"), new CheckpointCoordinator.Settings(2, 1), snapshotThreads);
            try (CheckpointCoordinator.RestoreSession session =
                            restarted.restoreLatest().orElseThrow();
                    CheckpointableKeyedStateBackend<String> again = new HashMapStateBackend()
                            .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                                    .restoreFrom(session.keyedState("clicks"))
                                    .build())) {
                assertThat(session.getCheckpoint().getCheckpointId()).isEqualTo(second.getCheckpointId());
                again.setCurrentKey("alice");
                assertThat(again.getState(new ValueStateDescriptor<>("clicks", Serializers.LONG))
                                .value())
                        .isEqualTo(7L);
            }
        } finally {
            snapshotThreads.shutdownNow();
        }
    }

    @Test
    void stateEnvironmentQuickStartWorks(@TempDir Path directory) throws Exception {
        Path configFile = Files.writeString(directory.resolve("cairn.yaml"), "pipeline.name: word-count\n");
        String checkpointDir = directory.resolve("checkpoints").toUri().toString();
        // README:state-environment:begin
        StateEnvironment env = StateEnvironment.fromConfigFile(configFile); // e.g. conf/cairn.yaml
        env.setStateBackend(new HashMapStateBackend()); // code overrides the file
        env.enableCheckpointing(Duration.ofSeconds(10));
        env.getCheckpointConfig().setCheckpointStorage(checkpointDir); // e.g. "file:///var/lib/myapp/checkpoints"
        KeyedStateStore<String> counts = env.keyedBackend("word-counter", Serializers.STRING);
        ValueState<Long> count = counts.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
        for (String word : List.of("to", "be", "or", "not", "to", "be")) { // the processing loop
            counts.setCurrentKey(word);
            count.update(count.value() == null ? 1 : count.value() + 1);
            env.checkpointIfDue(); // a checkpoint every 10 s, taken on this thread
        }
        env.triggerCheckpoint().get(); // or on demand
        env.close(); // a new StateEnvironment on the same directory resumes from the latest checkpoint
        // README:state-environment:end

        try (StateEnvironment restarted = StateEnvironment.fromConfigFile(configFile)) {
            restarted.getCheckpointConfig().setCheckpointStorage(checkpointDir);
            KeyedStateStore<String> again = restarted.keyedBackend("word-counter", Serializers.STRING);
            again.setCurrentKey("be");
            assertThat(again.getState(new ValueStateDescriptor<>("count", Serializers.LONG))
                            .value())
                    .isEqualTo(2L);
        }
    }

    @Test
    void timersSnippetWorks() throws Exception {
        try (CheckpointableKeyedStateBackend<String> backend = new HashMapStateBackend()
                .createKeyedStateBackend(
                        KeyedBackendParameters.builder(Serializers.STRING).build())) {
            List<String> emitted = new java.util.ArrayList<>();
            // README:timers:begin
            ReducingStateDescriptor<Long> clicksPerWindow =
                    new ReducingStateDescriptor<>("clicks", Long::sum, Serializers.LONG);
            KeyedTimerService<String, Long> timers = backend.timerService(
                    "window-end",
                    Serializers.LONG,
                    timer -> { // the backend's key is timer.key() here
                        ReducingState<Long> clicks =
                                backend.getPartitionedState(timer.namespace(), Serializers.LONG, clicksPerWindow);
                        emitted.add(timer.key() + " clicked " + clicks.get() + " times in window " + timer.namespace());
                        clicks.clear();
                    });
            // for each event (user, time): add to its one-minute window and make sure the window's timer exists
            long window = time - time % 60_000;
            backend.setCurrentKey(user);
            backend.getPartitionedState(window, Serializers.LONG, clicksPerWindow)
                    .add(1L);
            timers.registerEventTimeTimer(window, window + 59_999); // registering twice keeps one timer
            timers.advanceWatermark(time - 1); // fires every timer up to the watermark, in timestamp order
            // README:timers:end
            timers.advanceWatermark(Long.MAX_VALUE);
            assertThat(emitted).containsExactly("alice clicked 1 times in window 60000");
        }
    }

    private final String user = "alice";
    private final long time = 61_000;

    @Test
    void operatorStateAndTtlSnippetsWork(@TempDir Path directory) throws Exception {
        try (StateEnvironment env = StateEnvironment.create()) {
            env.getCheckpointConfig().setCheckpointStorage(directory.toString());
            // README:operator-state:begin
            class OffsetTracker implements CheckpointedFunction {
                final Map<String, Long> offsets = new TreeMap<>(); // partition -> next offset
                private ListState<String> state;

                @Override
                public void initializeState(FunctionInitializationContext context) {
                    state = context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>("offsets", Serializers.STRING)); // even split
                    for (String entry : state.get()) { // after a restore: this instance's share
                        offsets.put(entry.split("=")[0], Long.parseLong(entry.split("=")[1]));
                    }
                }

                @Override
                public void snapshotState(FunctionSnapshotContext context) {
                    state.update(offsets.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toList());
                }
            }
            OffsetTracker tracker = new OffsetTracker();
            env.registerCheckpointedFunction("kafka-source", tracker, 0, 1); // instance 0 of 1
            // README:operator-state:end
            tracker.offsets.put("p0", 42L);
            env.triggerCheckpoint().get();

            // README:ttl:begin
            ValueStateDescriptor<String> lastPage = new ValueStateDescriptor<>("last-page", Serializers.STRING);
            lastPage.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofHours(24))
                    .updateTtlOnCreateAndWrite() // default; updateTtlOnReadAndWrite() also refreshes on reads
                    .neverReturnExpired() // default; returnExpiredIfNotCleanedUp() is lenient
                    .cleanupFullSnapshot() // drop expired values from savepoints and heap checkpoints
                    .cleanupIncrementally(10, false) // heap: check 10 entries on every state access
                    .build());
            // README:ttl:end
            KeyedStateStore<String> backend = env.keyedBackend("pages", Serializers.STRING);
            backend.setCurrentKey("alice");
            backend.getState(lastPage).update("/cart");
            assertThat(backend.getState(lastPage).value()).isEqualTo("/cart");
        }
    }

    @Test
    void readmeShowsExactlyTheseSnippets() throws IOException {
        List<String> source = Files.readAllLines(Path.of("../src/test/java/dev/cairn/docs/QuickStartTest.java"));
        String readme = strip(Files.readString(Path.of("../README.md")).lines().collect(Collectors.toList()));
        int snippets = 0;
        for (int i = 0; i < source.size(); i++) {
            String line = source.get(i).strip();
            if (line.startsWith("// README:") && line.endsWith(":begin")) {
                String end = line.replace(":begin", ":end");
                int last = i + 1;
                while (!source.get(last).strip().equals(end)) {
                    last++;
                }
                assertThat(readme).as("README snippet %s", line).contains(strip(source.subList(i + 1, last)));
                snippets++;
            }
        }
        assertThat(snippets).isEqualTo(6);
    }

    private static String strip(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}

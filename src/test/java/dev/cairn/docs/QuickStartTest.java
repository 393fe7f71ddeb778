package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.MemoryCheckpointStreamFactory;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick start is this code: it must compile, run, and match the README verbatim. */
class QuickStartTest {
    private static final String BEGIN = "// README:quick-start:begin";
    private static final String END = "// README:quick-start:end";

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

        // After a failure: restore into instance 0 of 2 (any parallelism works: rescaling).
        try (CheckpointableKeyedStateBackend<String> restored =
                stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .instance(0, 2)
                        .restoreFrom(List.of(checkpoint))
                        .build())) {
            restored.setCurrentKey("alice"); // "alice" is in key group 59, owned by instance 0 of 2
            System.out.println(
                    "alice clicked " + restored.getState(clicksDescriptor).value() + " times");
        }
        // README:quick-start:end

        try (CheckpointableKeyedStateBackend<String> restored =
                stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .instance(0, 2)
                        .restoreFrom(List.of(checkpoint))
                        .build())) {
            restored.setCurrentKey("alice");
            assertThat(restored.getState(clicksDescriptor).value()).isEqualTo(2L);
        }
    }

    @Test
    void readmeShowsExactlyThisCode() throws IOException {
        List<String> source = Files.readAllLines(Path.of("../src/test/java/dev/cairn/docs/QuickStartTest.java"));
        String snippet =
                strip(source.subList(source.indexOf("        " + BEGIN) + 1, source.indexOf("        " + END)));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(strip(readme.lines().collect(Collectors.toList()))).contains(snippet);
    }

    private static String strip(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}

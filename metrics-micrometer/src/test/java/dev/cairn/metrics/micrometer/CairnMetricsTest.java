package dev.cairn.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CairnMetricsTest {
    @TempDir
    Path directory;

    private StateEnvironment environment(String backend) {
        Configuration config = new Configuration();
        config.setString("state.backend.type", backend);
        config.setString("pipeline.name", "clicks");
        config.setString(
                "execution.checkpointing.dir",
                directory.resolve("checkpoints").toUri().toString());
        return StateEnvironment.create(config);
    }

    @Test
    void checkpointAndStateMetricsAppearWithTheirTagsAndLeaveWhenTheEnvironmentCloses() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StateEnvironment environment = environment("hashmap");
        CairnMetrics.of(environment).bindTo(registry); // bound before anything started
        KeyedStateStore<String> store = environment.keyedBackend("counter", Serializers.STRING, 1, 2);
        ValueState<Long> count = store.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
        int written = 0;
        for (int i = 0; i < 1_000; i++) {
            String key = "user-" + i;
            if (store.getKeyGroupRange().contains(dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                store.setCurrentKey(key);
                count.update((long) i);
                written++;
            }
        }
        environment.triggerCheckpoint().get();
        environment.triggerCheckpoint().get();

        FunctionCounter completed = registry.get("cairn.numberOfCompletedCheckpoints")
                .tag("pipeline.name", "clicks")
                .functionCounter();
        assertThat(completed.count()).isEqualTo(2);
        assertThat(registry.get("cairn.numberOfFailedCheckpoints")
                        .functionCounter()
                        .count())
                .isZero();
        Timer duration = registry.get("cairn.checkpointDuration").timer();
        assertThat(duration.count()).isEqualTo(2);
        assertThat(duration.max(java.util.concurrent.TimeUnit.SECONDS)).isBetween(0.0, 60.0);
        assertThat(registry.get("cairn.checkpointFullSize").summary().max()).isPositive();
        assertThat(registry.get("cairn.lastCompletedCheckpointId").gauge().value())
                .isEqualTo(2);
        Gauge entries = registry.get("cairn.heap.state.entries")
                .tags("pipeline.name", "clicks", "operator.id", "counter", "subtask.index", "1", "state.name", "count")
                .gauge();
        assertThat(entries.value()).isEqualTo(written);
        double estimate = registry.get("cairn.heap.state.size.estimate")
                .tag("state.name", "count")
                .gauge()
                .value();
        // a key "user-nnn" (9 bytes and a length) and a long: between 10 and 40 bytes per entry, framing included
        assertThat(estimate).isBetween(10.0 * written, 40.0 * written);

        environment.close();
        assertThat(registry.getMeters())
                .as("a closed environment leaves no meter behind")
                .extracting(Meter::getId)
                .isEmpty();
    }

    @Test
    void rocksDBMetricsAndBackendsCreatedAfterBindingAreBoundAndCloseUnbinds() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StateEnvironment environment = environment("rocksdb");
                CairnMetrics metrics = CairnMetrics.of(environment)) {
            environment.getConfiguration(); // nothing started yet
            metrics.bindTo(registry);
            KeyedStateStore<String> store = environment.keyedBackend("window", Serializers.STRING);
            store.setCurrentKey("a");
            store.getState(new ValueStateDescriptor<>("v", Serializers.LONG)).update(1L);
            double used = registry.get("cairn.memory.managed.used")
                    .tag("operator.id", "window")
                    .gauge()
                    .value();
            double total = registry.get("cairn.memory.managed.total")
                    .tag("operator.id", "window")
                    .gauge()
                    .value();
            assertThat(total).isPositive();
            assertThat(used).isBetween(0.0, total);
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
        }
    }
}

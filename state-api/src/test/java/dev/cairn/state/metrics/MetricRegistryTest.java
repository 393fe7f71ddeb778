package dev.cairn.state.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {
    /** A reporter that keeps what it is told, keyed by name and tags. */
    static final class Recording implements MetricReporter {
        final Map<String, LongSupplier> counters = new LinkedHashMap<>();
        final Map<String, DoubleSupplier> gauges = new LinkedHashMap<>();
        final Map<String, List<Long>> timers = new LinkedHashMap<>();
        final Map<String, List<Double>> distributions = new LinkedHashMap<>();
        final List<String> removed = new ArrayList<>();

        @Override
        public void counterAdded(MetricId id, LongSupplier count) {
            counters.put(id.toString(), count);
        }

        @Override
        public void gaugeAdded(MetricId id, DoubleSupplier value) {
            gauges.put(id.toString(), value);
        }

        @Override
        public LongConsumer timerAdded(MetricId id) {
            List<Long> values = timers.computeIfAbsent(id.toString(), name -> new ArrayList<>());
            return values::add;
        }

        @Override
        public DoubleConsumer distributionAdded(MetricId id) {
            List<Double> values = distributions.computeIfAbsent(id.toString(), name -> new ArrayList<>());
            return values::add;
        }

        @Override
        public void removed(MetricId id) {
            removed.add(id.toString());
            counters.remove(id.toString());
            gauges.remove(id.toString());
        }
    }

    @Test
    void reportersSeeMetersRegisteredBeforeAndAfterWithTheGroupsTags() {
        MetricRegistry registry = new MetricRegistry(Map.of("pipeline.name", "clicks"));
        Counter completed = registry.counter("cairn.numberOfCompletedCheckpoints", "completed checkpoints");
        completed.increment();
        completed.increment(2);
        Recording reporter = new Recording();
        registry.addReporter(reporter);
        // counted since registration, not since the reporter came
        assertThat(reporter.counters
                        .get("cairn.numberOfCompletedCheckpoints{pipeline.name=clicks}")
                        .getAsLong())
                .isEqualTo(3);

        MetricGroup operator = registry.addGroup("operator.id", "window");
        Timer duration = operator.timer("cairn.restoreDuration", "restore time");
        duration.record(1_500);
        operator.distribution("cairn.restoredSize", "restored bytes", "bytes").record(42);
        operator.gauge("cairn.memory.managed.used", "used", "bytes", () -> 7);
        assertThat(reporter.timers.get("cairn.restoreDuration{pipeline.name=clicks, operator.id=window}"))
                .containsExactly(1_500L);
        assertThat(reporter.distributions.get("cairn.restoredSize{pipeline.name=clicks, operator.id=window}"))
                .containsExactly(42.0);
        assertThat(reporter.gauges
                        .get("cairn.memory.managed.used{pipeline.name=clicks, operator.id=window}")
                        .getAsDouble())
                .isEqualTo(7);
        // the same name in the same group is the same meter
        assertThat(registry.counter("cairn.numberOfCompletedCheckpoints", "completed checkpoints"))
                .isSameAs(completed);
        assertThat(registry.metrics()).hasSize(4);
    }

    @Test
    void closingAGroupRemovesItsMetersAndItsChildrensOnly() {
        MetricRegistry registry = new MetricRegistry();
        Recording reporter = new Recording();
        registry.addReporter(reporter);
        registry.counter("cairn.totalNumberOfCheckpoints", "checkpoints");
        MetricGroup operator = registry.addGroup("operator.id", "a");
        Timer timer = operator.timer("cairn.restoreDuration", "restore time");
        operator.addGroup("state.name", "s").gauge("cairn.heap.state.entries", "entries", null, () -> 1);

        operator.close();

        assertThat(reporter.removed)
                .containsExactlyInAnyOrder(
                        "cairn.restoreDuration{operator.id=a}",
                        "cairn.heap.state.entries{operator.id=a, state.name=s}");
        assertThat(registry.metrics()).extracting(MetricId::name).containsExactly("cairn.totalNumberOfCheckpoints");
        timer.record(5); // a closed group's timer records nowhere
        assertThat(reporter.timers.get("cairn.restoreDuration{operator.id=a}")).isEmpty();
    }

    @Test
    void aGaugeRegisteredAgainReplacesTheOldOneAndKindsDoNotMix() {
        MetricRegistry registry = new MetricRegistry();
        Recording reporter = new Recording();
        registry.addReporter(reporter);
        registry.gauge("cairn.lastCheckpointSize", "size", "bytes", () -> 1);
        registry.gauge("cairn.lastCheckpointSize", "size", "bytes", () -> 2);
        assertThat(reporter.gauges.get("cairn.lastCheckpointSize{}").getAsDouble())
                .isEqualTo(2);
        assertThat(reporter.removed).containsExactly("cairn.lastCheckpointSize{}");
        assertThatThrownBy(() -> registry.counter("cairn.lastCheckpointSize", "size"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cairn.lastCheckpointSize")
                .hasMessageContaining("GAUGE");
    }

    @Test
    void aRemovedReporterHearsNothingMore() {
        MetricRegistry registry = new MetricRegistry();
        Recording reporter = new Recording();
        registry.addReporter(reporter);
        Distribution sizes = registry.distribution("cairn.checkpointedSize", "bytes", "bytes");
        sizes.record(1);
        registry.removeReporter(reporter);
        sizes.record(2);
        registry.counter("cairn.numberOfFailedCheckpoints", "failed");
        assertThat(reporter.distributions.get("cairn.checkpointedSize{}")).containsExactly(1.0);
        assertThat(reporter.counters).isEmpty();
        assertThat(reporter.removed).containsExactly("cairn.checkpointedSize{}");
    }
}

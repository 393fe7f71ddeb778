package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.AggregatingState;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingState;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** State time-to-live with an injected clock: expiry, visibility, update types, cleanup, restore rules. */
public abstract class TtlConformance extends StateBackendTestBase {
    private final AtomicLong now = new AtomicLong(1_000);

    private StateTtlConfig.Builder ttl() {
        return StateTtlConfig.newBuilder(Duration.ofMillis(100));
    }

    private CheckpointableKeyedStateBackend<String> backend(List<KeyedStateHandle> restore) {
        return createBackend(KeyedBackendParameters.builder(Serializers.STRING)
                .ttlTimeProvider(now::get)
                .restoreFrom(restore)
                .build());
    }

    private <T> ValueStateDescriptor<T> withTtl(ValueStateDescriptor<T> descriptor, StateTtlConfig config) {
        descriptor.enableTimeToLive(config);
        return descriptor;
    }

    @Test
    void valuesExpireAndAreNeverReturnedByDefault() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<Long> state =
                backend.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.LONG, -1L), ttl().build()));
        backend.setCurrentKey("k");
        state.update(5L);
        now.addAndGet(99);
        assertThat(state.value()).isEqualTo(5L);
        now.addAndGet(1);
        assertThat(state.value()).as("expired: the default value").isEqualTo(-1L);
        assertThat(backend.numKeyValueStateEntries())
                .as("read of an expired value removes it")
                .isZero();
    }

    @Test
    void returnExpiredIfNotCleanedUpAndUpdateOnRead() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<String> lenient = backend.getState(withTtl(
                new ValueStateDescriptor<>("lenient", Serializers.STRING),
                ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
        ValueState<String> touched = backend.getState(withTtl(
                new ValueStateDescriptor<>("touched", Serializers.STRING),
                ttl().updateTtlOnReadAndWrite().build()));
        backend.setCurrentKey("k");
        lenient.update("old");
        touched.update("kept alive");
        for (int i = 0; i < 5; i++) {
            now.addAndGet(60);
            assertThat(touched.value()).isEqualTo("kept alive");
        }
        assertThat(lenient.value()).as("expired but returned until cleaned up").isEqualTo("old");
        now.addAndGet(100);
        assertThat(touched.value()).isNull();
    }

    @Test
    void listElementsAndMapEntriesExpireIndividually() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ListStateDescriptor<String> listDescriptor = new ListStateDescriptor<>("list", Serializers.STRING);
        listDescriptor.enableTimeToLive(ttl().build());
        MapStateDescriptor<String, Long> mapDescriptor =
                new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG);
        mapDescriptor.enableTimeToLive(ttl().build());
        ListState<String> list = backend.getState(listDescriptor);
        MapState<String, Long> map = backend.getState(mapDescriptor);
        backend.setCurrentKey("k");
        list.add("early");
        map.put("early", 1L);
        now.addAndGet(60);
        list.add("late");
        map.put("late", 2L);
        map.put("no-value", null);
        now.addAndGet(60);
        assertThat(list.get()).containsExactly("late");
        assertThat(map.keys()).containsExactlyInAnyOrder("late", "no-value");
        assertThat(map.contains("early")).isFalse();
        assertThat(map.contains("no-value")).isTrue();
        now.addAndGet(60);
        assertThat(list.get()).isEmpty();
        assertThat(map.isEmpty()).isTrue();
    }

    @Test
    void reducingAndAggregatingRestartAfterExpiry() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ReducingStateDescriptor<Long> sumDescriptor = new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG);
        sumDescriptor.enableTimeToLive(ttl().build());
        AggregatingStateDescriptor<Long, long[], Double> avgDescriptor = new AggregatingStateDescriptor<>(
                "avg", new ReducingAndAggregatingStateConformance.Average(), Serializers.LONG_ARRAY);
        avgDescriptor.enableTimeToLive(ttl().build());
        ReducingState<Long> sum = backend.getState(sumDescriptor);
        AggregatingState<Long, Double> avg = backend.getState(avgDescriptor);
        backend.setCurrentKey("k");
        sum.add(10L);
        avg.add(10L);
        now.addAndGet(50);
        sum.add(5L);
        avg.add(20L);
        assertThat(sum.get()).isEqualTo(15L);
        assertThat(avg.get()).isEqualTo(15.0);
        now.addAndGet(100);
        assertThat(sum.get()).isNull();
        sum.add(1L);
        avg.add(1L);
        assertThat(sum.get()).isEqualTo(1L);
        assertThat(avg.get()).isEqualTo(1.0);
    }

    @Test
    void timestampsSurviveRestoreAndFullSnapshotCleanupDropsExpiredValues() throws Exception {
        StateTtlConfig config = ttl().returnExpiredIfNotCleanedUp()
                .cleanupFullSnapshot()
                .disableCleanupInBackground()
                .build();
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<String> state =
                backend.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), config));
        backend.setCurrentKey("old");
        state.update("o");
        now.addAndGet(70);
        backend.setCurrentKey("young");
        state.update("y");
        now.addAndGet(40); // "old" expired, "young" has 60 ms left
        // Full-snapshot cleanup applies to full canonical snapshots; RocksDB checkpoints are native (as in Flink,
        // where it does not apply to incremental RocksDB checkpoints), so a savepoint is what this test takes.
        List<KeyedStateHandle> handles = handles(snapshot(backend, SnapshotOptions.savepoint()));

        CheckpointableKeyedStateBackend<String> restored = backend(handles);
        ValueState<String> restoredState =
                restored.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.STRING), config));
        assertThat(restored.numKeyValueStateEntries())
                .as("expired value not written")
                .isEqualTo(1);
        restored.setCurrentKey("old");
        assertThat(restoredState.value()).isNull();
        restored.setCurrentKey("young");
        assertThat(restoredState.value()).isEqualTo("y");
        now.addAndGet(60);
        CheckpointableKeyedStateBackend<String> later =
                backend(handles(snapshot(restored, SnapshotOptions.savepoint())));
        assertThat(later.numKeyValueStateEntries())
                .as("the young value expired at its original time")
                .isZero();
    }

    @Test
    void incrementalCleanupRemovesExpiredValuesOfKeysNeverReadAgain() {
        CheckpointableKeyedStateBackend<String> backend = backend(List.of());
        ValueState<Long> state = backend.getState(withTtl(
                new ValueStateDescriptor<>("v", Serializers.LONG),
                ttl().cleanupIncrementally(10, false).build()));
        for (int i = 0; i < 500; i++) {
            backend.setCurrentKey("key" + i);
            state.update((long) i);
        }
        now.addAndGet(200);
        backend.setCurrentKey("reader");
        for (int access = 0; access < 200 && backend.numKeyValueStateEntries() > 0; access++) {
            state.value();
        }
        assertThat(backend.numKeyValueStateEntries()).isZero();
    }

    @Test
    void enablingOrDisablingTtlOnExistingStateIsRejected() throws Exception {
        CheckpointableKeyedStateBackend<String> plain = backend(List.of());
        plain.setCurrentKey("k");
        plain.getState(new ValueStateDescriptor<>("v", Serializers.LONG)).update(1L);
        List<KeyedStateHandle> withoutTtl = handles(snapshot(plain));
        CheckpointableKeyedStateBackend<String> restored = backend(withoutTtl);
        assertThatThrownBy(() ->
                        restored.getState(withTtl(new ValueStateDescriptor<>("v", Serializers.LONG), ttl().build())))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("'v'")
                .hasMessageContaining("TTL");

        CheckpointableKeyedStateBackend<String> ttlBackend = backend(List.of());
        ttlBackend.setCurrentKey("k");
        ttlBackend
                .getState(withTtl(new ValueStateDescriptor<>("v", Serializers.LONG), ttl().build()))
                .update(1L);
        CheckpointableKeyedStateBackend<String> restoredTtl = backend(handles(snapshot(ttlBackend)));
        assertThatThrownBy(() -> restoredTtl.getState(new ReducingStateDescriptor<>("v", Long::sum, Serializers.LONG)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("TTL");
    }
}

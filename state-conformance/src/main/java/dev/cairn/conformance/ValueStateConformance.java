package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link ValueState} contract. */
public abstract class ValueStateConformance extends StateBackendTestBase {
    private final ValueStateDescriptor<Long> counts = new ValueStateDescriptor<>("counts", Serializers.LONG);

    /** A POJO stored through the JSON serializer. */
    public record Session(String user, long clicks, List<String> pages) {}

    @Test
    void unsetValueIsNull() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(counts);
        backend.setCurrentKey("a");
        assertThat(state.value()).isNull();
    }

    @Test
    void defaultValueIsReturnedAsAFreshCopyUntilUpdated() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<List<String>> state = backend.getState(new ValueStateDescriptor<>(
                "tags", Serializers.listOf(Serializers.STRING), new ArrayList<>(List.of("new"))));
        backend.setCurrentKey("a");
        state.value().add("mutated by caller");
        assertThat(state.value()).containsExactly("new");
        state.update(List.of("x"));
        assertThat(state.value()).containsExactly("x");
    }

    @Test
    void defaultValueSurvivesSnapshotAndRestore() throws Exception {
        ValueStateDescriptor<Long> withDefault = new ValueStateDescriptor<>("with-default", Serializers.LONG, -1L);
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(withDefault);
        backend.setCurrentKey("set");
        state.update(5L);
        backend.setCurrentKey("cleared");
        state.update(6L);
        state.clear();
        for (int round = 0; round < 2; round++) {
            backend = snapshotAndRestore(backend);
            ValueState<Long> restored = backend.getState(withDefault);
            backend.setCurrentKey("set");
            assertThat(restored.value()).isEqualTo(5L);
            backend.setCurrentKey("cleared");
            assertThat(restored.value()).isEqualTo(-1L);
            backend.setCurrentKey("never-set");
            assertThat(restored.value()).isEqualTo(-1L);
            restored.update(7L);
            restored.clear();
        }
    }

    @Test
    void updateThenReadPerKey() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(counts);
        for (int i = 0; i < 1000; i++) {
            backend.setCurrentKey("key-" + i);
            state.update((long) i);
        }
        for (int i = 0; i < 1000; i++) {
            backend.setCurrentKey("key-" + i);
            assertThat(state.value()).isEqualTo(i);
        }
        backend.setCurrentKey("key-7");
        state.update(70L);
        assertThat(state.value()).isEqualTo(70L);
        backend.setCurrentKey("key-8");
        assertThat(state.value()).isEqualTo(8L);
        assertThat(backend.numKeyValueStateEntries()).isEqualTo(1000);
    }

    @Test
    void updateNullAndClearRemoveTheValue() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(counts);
        backend.setCurrentKey("a");
        state.update(1L);
        state.update(null);
        assertThat(state.value()).isNull();
        assertThat(backend.getKeys("counts", dev.cairn.state.VoidNamespace.INSTANCE))
                .isEmpty();
        state.update(2L);
        state.clear();
        assertThat(state.value()).isNull();
        assertThat(backend.numKeyValueStateEntries()).isZero();
        state.clear();
    }

    @Test
    void sameDescriptorNameReturnsTheSameState() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> first = backend.getState(counts);
        ValueState<Long> second = backend.getState(new ValueStateDescriptor<>("counts", Serializers.LONG));
        backend.setCurrentKey("a");
        first.update(5L);
        assertThat(second.value()).isEqualTo(5L);
    }

    @Test
    void statesWithDifferentNamesAreIndependent() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> a = backend.getState(counts);
        ValueState<String> b = backend.getState(new ValueStateDescriptor<>("names", Serializers.STRING));
        backend.setCurrentKey("k");
        a.update(1L);
        b.update("one");
        a.clear();
        assertThat(b.value()).isEqualTo("one");
    }

    @Test
    void pojoValuesRoundTripThroughJson() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueStateDescriptor<Session> sessions =
                new ValueStateDescriptor<>("sessions", Serializers.json(Session.class));
        ValueState<Session> state = backend.getState(sessions);
        backend.setCurrentKey("u1");
        state.update(new Session("u1", 3, List.of("/", "/cart")));
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        restored.setCurrentKey("u1");
        assertThat(restored.getState(sessions).value()).isEqualTo(new Session("u1", 3, List.of("/", "/cart")));
    }

    @Test
    void accessWithoutCurrentKeyFailsClearly() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(counts);
        assertThatThrownBy(state::value)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setCurrentKey");
    }

    @Test
    void keyOutsideTheKeyGroupRangeIsRejected() {
        KeyGroupRange firstHalf = KeyGroupRange.of(0, MAX_PARALLELISM / 2 - 1);
        CheckpointableKeyedStateBackend<String> backend =
                createBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .keyGroupRange(firstHalf)
                        .build());
        String foreign = null;
        for (int i = 0; foreign == null; i++) {
            if (ownerOf("k" + i, 2) == 1) {
                foreign = "k" + i;
            }
        }
        String key = foreign;
        assertThatThrownBy(() -> backend.setCurrentKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("key group");
    }
}

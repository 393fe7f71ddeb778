package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link ListState} contract. */
public abstract class ListStateConformance extends StateBackendTestBase {
    private final ListStateDescriptor<String> events = new ListStateDescriptor<>("events", Serializers.STRING);
    private CheckpointableKeyedStateBackend<String> backend;
    private ListState<String> state;

    @BeforeEach
    void setUp() {
        backend = createBackend();
        state = backend.getState(events);
        backend.setCurrentKey("k");
    }

    @Test
    void emptyListIsAnEmptyIterableNotNull() {
        assertThat(state.get()).isNotNull().isEmpty();
    }

    @Test
    void addAndAddAllKeepInsertionOrder() {
        state.add("a");
        state.addAll(List.of("b", "c"));
        state.add("d");
        state.addAll(List.of());
        assertThat(state.get()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void updateReplacesAndEmptyUpdateClears() {
        state.addAll(List.of("a", "b"));
        state.update(List.of("x"));
        assertThat(state.get()).containsExactly("x");
        state.update(List.of());
        assertThat(state.get()).isEmpty();
        assertThat(backend.getKeys("events", VoidNamespace.INSTANCE)).isEmpty();
    }

    @Test
    void nullElementsAreRejectedWithoutChangingTheList() {
        state.add("a");
        assertThatThrownBy(() -> state.add(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> state.addAll(Arrays.asList("b", null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> state.update(Arrays.asList("c", null))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> state.update(null)).isInstanceOf(NullPointerException.class);
        assertThat(state.get()).containsExactly("a");
    }

    @Test
    void callerListsAreNotAliased() {
        List<String> mine = new ArrayList<>(List.of("a"));
        state.update(mine);
        mine.add("b");
        state.addAll(mine);
        mine.add("c");
        assertThat(state.get()).containsExactly("a", "a", "b");
    }

    @Test
    void clearRemovesTheList() {
        state.add("a");
        state.clear();
        assertThat(state.get()).isEmpty();
        state.add("b");
        assertThat(state.get()).containsExactly("b");
    }

    @Test
    void listsArePerKey() {
        state.add("k-1");
        backend.setCurrentKey("other");
        assertThat(state.get()).isEmpty();
        state.add("other-1");
        backend.setCurrentKey("k");
        assertThat(state.get()).containsExactly("k-1");
    }

    @Test
    void largeListsRoundTrip() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            state.add("e" + i);
            expected.add("e" + i);
        }
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        restored.setCurrentKey("k");
        assertThat(restored.getState(events).get()).containsExactlyElementsOf(expected);
    }
}

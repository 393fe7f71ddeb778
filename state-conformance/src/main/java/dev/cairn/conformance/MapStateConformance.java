package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link MapState} contract. */
public abstract class MapStateConformance extends StateBackendTestBase {
    private final MapStateDescriptor<String, Long> clicks =
            new MapStateDescriptor<>("clicks", Serializers.STRING, Serializers.LONG);
    private CheckpointableKeyedStateBackend<String> backend;
    private MapState<String, Long> state;

    @BeforeEach
    void setUp() {
        backend = createBackend();
        state = backend.getState(clicks);
        backend.setCurrentKey("user");
    }

    @Test
    void emptyMap() {
        assertThat(state.get("x")).isNull();
        assertThat(state.contains("x")).isFalse();
        assertThat(state.isEmpty()).isTrue();
        assertThat(state.entries()).isEmpty();
        assertThat(state.keys()).isEmpty();
        assertThat(state.values()).isEmpty();
        assertThat(state.iterator().hasNext()).isFalse();
        state.remove("x");
    }

    @Test
    void putGetContainsRemove() {
        state.put("a", 1L);
        state.put("b", 2L);
        state.put("a", 3L);
        assertThat(state.get("a")).isEqualTo(3L);
        assertThat(state.contains("b")).isTrue();
        state.remove("b");
        assertThat(state.contains("b")).isFalse();
        assertThat(state.get("b")).isNull();
        assertThat(state.isEmpty()).isFalse();
    }

    @Test
    void putAllAndViews() {
        state.putAll(Map.of("a", 1L, "b", 2L, "c", 3L));
        state.putAll(Map.of());
        assertThat(state.entries()).containsExactlyInAnyOrder(entry("a", 1L), entry("b", 2L), entry("c", 3L));
        assertThat(state.keys()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(state.values()).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void nullValuesAreAllowedAndSurviveSnapshots() throws Exception {
        state.put("nothing", null);
        assertThat(state.contains("nothing")).isTrue();
        assertThat(state.get("nothing")).isNull();
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        restored.setCurrentKey("user");
        MapState<String, Long> restoredState = restored.getState(clicks);
        assertThat(restoredState.contains("nothing")).isTrue();
        assertThat(restoredState.get("nothing")).isNull();
    }

    @Test
    void nullKeysAreRejected() {
        assertThatThrownBy(() -> state.put(null, 1L)).isInstanceOf(NullPointerException.class);
        Map<String, Long> withNullKey = new HashMap<>();
        withNullKey.put(null, 1L);
        assertThatThrownBy(() -> state.putAll(withNullKey)).isInstanceOf(NullPointerException.class);
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void iteratorRemoveDuringIteration() {
        for (long i = 0; i < 100; i++) {
            state.put("k" + i, i);
        }
        Iterator<Map.Entry<String, Long>> it = state.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() % 2 == 0) {
                it.remove();
            }
        }
        assertThat(state.keys()).hasSize(50).allMatch(k -> Long.parseLong(k.substring(1)) % 2 == 1);
        Iterator<String> keys = state.keys().iterator();
        while (keys.hasNext()) {
            keys.next();
            keys.remove();
        }
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void iteratorsAndEntriesWriteThroughEveryView() throws Exception {
        for (long i = 0; i < 300; i++) {
            state.put("k" + i, i);
        }
        for (Iterator<Map.Entry<String, Long>> it = state.entries().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getValue() % 3 == 0) {
                it.remove();
            } else if (e.getValue() % 3 == 1) {
                assertThat(e.setValue(e.getValue() * 10)).isEqualTo(e.getValue() / 10);
            }
        }
        for (Iterator<Long> values = state.values().iterator(); values.hasNext(); ) {
            if (values.next() == 2L) {
                values.remove();
            }
        }
        for (Map.Entry<String, Long> e : state.entries()) {
            if (e.getKey().equals("k5")) {
                e.setValue(null);
            }
        }
        Map<String, Long> expected = new HashMap<>();
        for (long i = 0; i < 300; i++) {
            if (i % 3 == 1) {
                expected.put("k" + i, i * 10);
            } else if (i % 3 == 2 && i != 2) {
                expected.put("k" + i, i == 5 ? null : i);
            }
        }
        assertThat(entries(state)).isEqualTo(expected);
        assertThat(state.get("k4")).isEqualTo(40L);
        CheckpointableKeyedStateBackend<String> restored = snapshotAndRestore(backend);
        restored.setCurrentKey("user");
        assertThat(entries(restored.getState(clicks))).isEqualTo(expected);
    }

    private static Map<String, Long> entries(MapState<String, Long> map) {
        Map<String, Long> result = new HashMap<>();
        map.entries().forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    @Test
    void removingTheLastEntryRemovesTheKey() {
        state.put("a", 1L);
        state.remove("a");
        assertThat(state.isEmpty()).isTrue();
        assertThat(backend.getKeys("clicks", VoidNamespace.INSTANCE)).isEmpty();
        assertThat(backend.numKeyValueStateEntries()).isZero();
    }

    @Test
    void clearRemovesAllEntriesOfTheCurrentKeyOnly() {
        state.put("a", 1L);
        backend.setCurrentKey("other");
        state.put("b", 2L);
        backend.setCurrentKey("user");
        state.clear();
        assertThat(state.isEmpty()).isTrue();
        backend.setCurrentKey("other");
        assertThat(state.get("b")).isEqualTo(2L);
    }

    @Test
    void callerMapsAreNotAliased() {
        Map<String, Long> mine = new HashMap<>(Map.of("a", 1L));
        state.putAll(mine);
        mine.put("b", 2L);
        assertThat(state.keys()).containsExactly("a");
    }
}

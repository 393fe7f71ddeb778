package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Namespace isolation, {@code getKeys} and {@code applyToAllKeys}. */
public abstract class NamespaceAndKeyIterationConformance extends StateBackendTestBase {
    private final ListStateDescriptor<Long> window = new ListStateDescriptor<>("window", Serializers.LONG);
    private final ValueStateDescriptor<Long> total = new ValueStateDescriptor<>("total", Serializers.LONG);

    @Test
    void namespacesAreIsolated() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("k");
        ListState<Long> w1 = backend.getPartitionedState(1000L, Serializers.LONG, window);
        w1.add(1L);
        ListState<Long> w2 = backend.getPartitionedState(2000L, Serializers.LONG, window);
        assertThat(w2).isSameAs(w1);
        assertThat(w2.get()).isEmpty();
        w2.add(2L);
        w2.clear();
        assertThat(backend.getPartitionedState(1000L, Serializers.LONG, window).get())
                .containsExactly(1L);
        assertThat(backend.numKeyValueStateEntries()).isEqualTo(1);
    }

    @Test
    void namespaceSerializerMustStayTheSame() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.getPartitionedState(1L, Serializers.LONG, window);
        assertThatThrownBy(() -> backend.getPartitionedState("w", Serializers.STRING, window))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("window");
    }

    @Test
    void getKeysListsExactlyTheKeysWithStateInTheNamespace() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        Set<String> inFirst = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            backend.setCurrentKey("key" + i);
            long namespace = i % 3 == 0 ? 1L : 2L;
            backend.getPartitionedState(namespace, Serializers.LONG, window).add((long) i);
            if (namespace == 1L) {
                inFirst.add("key" + i);
            }
        }
        assertThat(backend.getKeys("window", 1L).collect(Collectors.toSet())).isEqualTo(inFirst);
        assertThat(backend.getKeys("window", 2L).count()).isEqualTo(500 - inFirst.size());
        assertThat(backend.getKeys("window", 3L)).isEmpty();
        assertThat(backend.getKeys("no-such-state", 1L)).isEmpty();
        assertThat(backend.getKeys("window", 1L).distinct().count()).isEqualTo(inFirst.size());
    }

    @Test
    void applyToAllKeysVisitsEveryKeyAndMayModifyOrClear() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<Long> state = backend.getState(total);
        for (int i = 0; i < 200; i++) {
            backend.setCurrentKey("k" + i);
            state.update((long) i);
        }
        backend.setCurrentKey("k5");
        Set<String> visited = new HashSet<>();
        backend.applyToAllKeys(VoidNamespace.INSTANCE, Serializers.VOID_NAMESPACE, total, (key, s) -> {
            visited.add(key);
            assertThat(backend.getCurrentKey()).isEqualTo(key);
            if (s.value() % 2 == 0) {
                s.clear();
            } else {
                s.update(s.value() * 10);
            }
        });
        assertThat(visited).hasSize(200);
        assertThat(backend.getCurrentKey()).isEqualTo("k5");
        assertThat(state.value()).isEqualTo(50L);
        assertThat(backend.getKeys("total", VoidNamespace.INSTANCE)).hasSize(100);
    }

    @Test
    void keysOfLongKeyedBackend() {
        var backend = createBackend(dev.cairn.state.spi.KeyedBackendParameters.builder(Serializers.LONG)
                .build());
        ValueState<Long> state = backend.getState(total);
        for (long i = 0; i < 100; i++) {
            backend.setCurrentKey(i);
            state.update(i);
        }
        assertThat(backend.getKeys("total", VoidNamespace.INSTANCE).sorted().collect(Collectors.toList()))
                .isEqualTo(java.util.stream.LongStream.range(0, 100).boxed().collect(Collectors.toList()));
        assertThat(List.of(backend.getCurrentKey())).containsExactly(99L);
    }
}

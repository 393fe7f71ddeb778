package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyAndNamespace;
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
    void keysAndNamespacesAreListedOnceEachBeforeAndAfterRestore() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        MapStateDescriptor<Integer, String> sessions =
                new MapStateDescriptor<>("sessions", Serializers.INT, Serializers.STRING);
        Set<KeyAndNamespace<String, Long>> inWindow = new HashSet<>();
        Set<KeyAndNamespace<String, Long>> inSessions = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            backend.setCurrentKey("key" + i);
            for (long namespace = 0; namespace <= i % 3; namespace++) {
                backend.getPartitionedState(namespace, Serializers.LONG, window).add((long) i);
                backend.getPartitionedState(namespace, Serializers.LONG, window).add((long) -i);
                inWindow.add(new KeyAndNamespace<>("key" + i, namespace));
                MapState<Integer, String> map = backend.getPartitionedState(namespace, Serializers.LONG, sessions);
                for (int entry = 0; entry < 5; entry++) {
                    map.put(entry, "v" + entry);
                }
                inSessions.add(new KeyAndNamespace<>("key" + i, namespace));
            }
        }
        backend.createTimerQueue("timers", Serializers.LONG);
        for (CheckpointableKeyedStateBackend<String> b : List.of(backend, snapshotAndRestore(backend))) {
            List<KeyAndNamespace<String, Long>> windowPairs =
                    b.<Long>getKeysAndNamespaces("window").toList();
            assertThat(windowPairs).hasSize(inWindow.size());
            assertThat(Set.copyOf(windowPairs)).isEqualTo(inWindow);
            List<KeyAndNamespace<String, Long>> sessionPairs =
                    b.<Long>getKeysAndNamespaces("sessions").toList();
            assertThat(sessionPairs)
                    .as("a map is listed once per (key, namespace)")
                    .hasSize(inSessions.size());
            assertThat(Set.copyOf(sessionPairs)).isEqualTo(inSessions);
            List<String> mapKeys = b.getKeys("sessions", 0L).toList();
            assertThat(mapKeys).as("getKeys of a map state lists each key once").hasSize(300);
            assertThat(Set.copyOf(mapKeys)).hasSize(300);
            assertThat(b.getKeysAndNamespaces("no-such-state")).isEmpty();
            assertThat(b.getKeysAndNamespaces("timers")).isEmpty();
        }
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

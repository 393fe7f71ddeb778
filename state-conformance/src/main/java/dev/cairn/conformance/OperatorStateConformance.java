package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operator state: split, union and broadcast redistribution on rescaling, snapshot isolation, compatibility. */
public abstract class OperatorStateConformance extends StateBackendTestBase {
    private final ListStateDescriptor<String> offsets = new ListStateDescriptor<>("offsets", Serializers.STRING);
    private final ListStateDescriptor<String> everything = new ListStateDescriptor<>("everything", Serializers.STRING);
    private final MapStateDescriptor<String, Integer> rules =
            new MapStateDescriptor<>("rules", Serializers.STRING, Serializers.INT);
    private final List<OperatorStateBackend> created = new ArrayList<>();

    @AfterEach
    void closeOperatorBackends() {
        created.forEach(OperatorStateBackend::close);
    }

    private List<OperatorStateBackend> instances(int parallelism, List<OperatorStateHandle> handles) {
        List<OperatorStateBackend> instances = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            OperatorStateBackend backend = stateBackend.createOperatorStateBackend(new OperatorBackendParameters(
                    "source", index, parallelism, handles, getClass().getClassLoader()));
            created.add(backend);
            instances.add(backend);
        }
        return instances;
    }

    private List<OperatorStateHandle> snapshotAll(List<OperatorStateBackend> instances) throws Exception {
        List<OperatorStateHandle> handles = new ArrayList<>();
        for (OperatorStateBackend backend : instances) {
            RunnableFuture<SnapshotResult<OperatorStateHandle>> future =
                    backend.snapshot(1, 0, streamFactory, SnapshotOptions.checkpoint());
            future.run();
            if (future.get().getHandle() != null) {
                handles.add(future.get().getHandle());
            }
        }
        return handles;
    }

    private static List<String> list(ListState<String> state) {
        List<String> elements = new ArrayList<>();
        state.get().forEach(elements::add);
        return elements;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 3", "3, 2", "2, 1", "2, 2"})
    void listStatesAreRedistributedBySplitOrUnionAndBroadcastIsCopied(int from, int to) throws Exception {
        List<OperatorStateBackend> old = instances(from, List.of());
        List<String> all = new ArrayList<>();
        Map<String, Integer> broadcast = Map.of("max", 7, "min", 1);
        for (int index = 0; index < from; index++) {
            for (int i = 0; i < 10; i++) {
                String element = "partition-" + index + "-" + i;
                old.get(index).getListState(offsets).add(element);
                old.get(index).getUnionListState(everything).add(element);
                all.add(element);
            }
            old.get(index).getBroadcastState(rules).putAll(broadcast);
        }
        List<OperatorStateBackend> rescaled = instances(to, snapshotAll(old));
        List<String> split = new ArrayList<>();
        for (OperatorStateBackend backend : rescaled) {
            assertThat(backend.isRestored()).isTrue();
            List<String> share = list(backend.getListState(offsets));
            assertThat(share.size()).as("even split").isBetween(all.size() / to, all.size() / to + 1);
            split.addAll(share);
            assertThat(list(backend.getUnionListState(everything))).containsExactlyInAnyOrderElementsOf(all);
            Map<String, Integer> copy = new HashMap<>();
            backend.getBroadcastState(rules).entries().forEach(e -> copy.put(e.getKey(), e.getValue()));
            assertThat(copy).isEqualTo(broadcast);
        }
        assertThat(split).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void snapshotsHoldTheStateOfTheSynchronousPart() throws Exception {
        OperatorStateBackend backend = instances(1, List.of()).get(0);
        assertThat(backend.isRestored()).isFalse();
        ListState<String> state = backend.getListState(offsets);
        MapState<String, Integer> map = backend.getBroadcastState(rules);
        state.add("a");
        map.put("k", 1);
        RunnableFuture<SnapshotResult<OperatorStateHandle>> future =
                backend.snapshot(1, 0, streamFactory, SnapshotOptions.checkpoint());
        state.add("b");
        map.put("k", 2);
        future.run();
        OperatorStateBackend restored =
                instances(1, List.of(future.get().getHandle())).get(0);
        assertThat(list(restored.getListState(offsets))).containsExactly("a");
        assertThat(restored.getBroadcastState(rules).get("k")).isEqualTo(1);
    }

    @Test
    void stateNotRegisteredAfterRestoreIsKept() throws Exception {
        OperatorStateBackend backend = instances(1, List.of()).get(0);
        backend.getListState(offsets).add("kept");
        OperatorStateBackend restored =
                instances(1, snapshotAll(List.of(backend))).get(0);
        OperatorStateBackend again =
                instances(1, snapshotAll(List.of(restored))).get(0);
        assertThat(list(again.getListState(offsets))).containsExactly("kept");
    }

    @Test
    void incompatibleSerializersAndModesAreRejected() throws Exception {
        OperatorStateBackend backend = instances(1, List.of()).get(0);
        backend.getListState(offsets).add("x");
        List<OperatorStateHandle> handles = snapshotAll(List.of(backend));
        OperatorStateBackend restored = instances(1, handles).get(0);
        assertThatThrownBy(() -> restored.getListState(new ListStateDescriptor<>("offsets", Serializers.LONG)))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("offsets");
        OperatorStateBackend other = instances(1, handles).get(0);
        assertThatThrownBy(() -> other.getUnionListState(offsets))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining("UNION");
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Snapshots partitioned by key group restore into a different parallelism. */
public abstract class RescalingConformance extends StateBackendTestBase {
    private static final int KEYS = 2_000;
    private final ValueStateDescriptor<Integer> value = new ValueStateDescriptor<>("value", Serializers.INT);
    private final MapStateDescriptor<Integer, String> map =
            new MapStateDescriptor<>("map", Serializers.INT, Serializers.STRING);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 3", "3, 2", "4, 1", "2, 5", "1, 1"})
    void stateFollowsItsKeyGroupToTheNewOwner(int from, int to) throws Exception {
        List<CheckpointableKeyedStateBackend<String>> old = instances(from, List.of());
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            CheckpointableKeyedStateBackend<String> owner = old.get(ownerOf(key, from));
            owner.setCurrentKey(key);
            owner.getState(value).update(i);
            owner.getState(map).put(i, "v" + i);
        }
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (CheckpointableKeyedStateBackend<String> backend : old) {
            handles.addAll(handles(snapshot(backend)));
        }
        List<CheckpointableKeyedStateBackend<String>> rescaled = instances(to, handles);
        int total = 0;
        for (int index = 0; index < to; index++) {
            total += rescaled.get(index).numKeyValueStateEntries();
        }
        assertThat(total).isEqualTo(2 * KEYS);
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            int ownerIndex = ownerOf(key, to);
            CheckpointableKeyedStateBackend<String> owner = rescaled.get(ownerIndex);
            owner.setCurrentKey(key);
            assertThat(owner.getState(value).value()).isEqualTo(i);
            assertThat(owner.getState(map).get(i)).isEqualTo("v" + i);
        }
        for (CheckpointableKeyedStateBackend<String> backend : rescaled) {
            assertThat(backend.getKeys("value", dev.cairn.state.VoidNamespace.INSTANCE))
                    .allMatch(key -> backend.getKeyGroupRange()
                            .contains(dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM)));
        }
    }

    @ParameterizedTest(name = "max parallelism {0} -> {1}")
    @CsvSource({"128, 256"})
    void changingTheMaxParallelismIsAClearError(int before, int after) throws Exception {
        CheckpointableKeyedStateBackend<String> backend =
                createBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .numberOfKeyGroups(before)
                        .build());
        backend.setCurrentKey("k");
        backend.getState(value).update(1);
        List<KeyedStateHandle> handles = handles(snapshot(backend));
        assertThatThrownBy(() -> createBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .numberOfKeyGroups(after)
                        .restoreFrom(handles)
                        .build()))
                .isInstanceOf(StateMigrationException.class)
                .hasMessageContaining(String.valueOf(before))
                .hasMessageContaining(String.valueOf(after));
    }

    private List<CheckpointableKeyedStateBackend<String>> instances(int parallelism, List<KeyedStateHandle> handles) {
        List<CheckpointableKeyedStateBackend<String>> instances = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            instances.add(restoreBackend(Serializers.STRING, handles, rangeOf(index, parallelism)));
        }
        return instances;
    }
}

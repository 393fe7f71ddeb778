package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.spi.KeyAndNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Merging namespaces ({@link InternalMergingState}), what session windows need: Flink's semantics for list,
 * reducing and aggregating state, surviving snapshots, restores and rescaling.
 */
public abstract class MergingStateConformance extends StateBackendTestBase {
    private final ListStateDescriptor<String> events = new ListStateDescriptor<>("events", Serializers.STRING);
    private final ReducingStateDescriptor<String> joined =
            new ReducingStateDescriptor<>("joined", (a, b) -> a + "+" + b, Serializers.STRING);
    private final AggregatingStateDescriptor<Long, long[], Double> average = new AggregatingStateDescriptor<>(
            "average", new ReducingAndAggregatingStateConformance.Average(), Serializers.LONG_ARRAY);

    @SuppressWarnings("unchecked")
    private static InternalMergingState<Long> merging(State state) {
        return (InternalMergingState<Long>) state;
    }

    private <S extends State> S in(
            CheckpointableKeyedStateBackend<String> backend, long window, StateDescriptor<S, ?> d) {
        return backend.getPartitionedState(window, Serializers.LONG, d);
    }

    private static List<String> list(ListState<String> state) {
        List<String> elements = new ArrayList<>();
        state.get().forEach(elements::add);
        return elements;
    }

    @Test
    void listsAreConcatenatedTargetFirstThenSourcesInOrder() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("user");
        in(backend, 1, events).add("t1");
        in(backend, 2, events).addAll(List.of("a1", "a2"));
        in(backend, 3, events).add("b1");
        ListState<String> state = in(backend, 9, events);

        merging(state).mergeNamespaces(1L, List.of(2L, 4L, 3L));

        assertThat(list(state)).as("the current namespace is unchanged").isEmpty();
        assertThat(list(in(backend, 1, events))).containsExactly("t1", "a1", "a2", "b1");
        assertThat(list(in(backend, 2, events))).isEmpty();
        assertThat(list(in(backend, 3, events))).isEmpty();
        assertThat(backend.getKeysAndNamespaces("events").map(KeyAndNamespace::namespace))
                .containsExactly(1L);
    }

    @Test
    void mergingIntoAnEmptyTargetOrATargetAmongTheSourcesKeepsSourceOrder() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("user");
        in(backend, 2, events).add("a");
        in(backend, 3, events).add("b");
        merging(in(backend, 2, events)).mergeNamespaces(7L, List.of(3L, 2L));
        assertThat(list(in(backend, 7, events))).containsExactly("b", "a");

        in(backend, 1, events).add("t");
        in(backend, 5, events).add("c");
        merging(in(backend, 1, events)).mergeNamespaces(1L, List.of(5L, 1L));
        assertThat(list(in(backend, 1, events)))
                .as("the target is taken out with the sources")
                .containsExactly("c", "t");

        merging(in(backend, 1, events)).mergeNamespaces(1L, List.of());
        merging(in(backend, 1, events)).mergeNamespaces(1L, List.of(40L, 41L));
        assertThat(list(in(backend, 1, events))).containsExactly("c", "t");
        assertThat(backend.getKeysAndNamespaces("events")
                        .map(KeyAndNamespace::namespace)
                        .collect(Collectors.toSet()))
                .isEqualTo(Set.of(1L, 7L));
    }

    @Test
    void reducedValuesCombineSourcesInOrderThenIntoTheTarget() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("user");
        in(backend, 1, joined).add("t");
        in(backend, 2, joined).add("a");
        in(backend, 3, joined).add("b");
        merging(in(backend, 1, joined)).mergeNamespaces(1L, List.of(2L, 3L));
        assertThat(in(backend, 1, joined).get()).isEqualTo("t+a+b");
        assertThat(in(backend, 2, joined).get()).isNull();
        assertThat(in(backend, 3, joined).get()).isNull();

        in(backend, 4, joined).add("x");
        merging(in(backend, 4, joined)).mergeNamespaces(8L, List.of(4L));
        assertThat(in(backend, 8, joined).get()).isEqualTo("x");
        assertThat(in(backend, 4, joined).get()).isNull();
    }

    @Test
    void accumulatorsAreMergedWithTheAggregateFunction() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.setCurrentKey("user");
        in(backend, 1, average).add(10L);
        in(backend, 2, average).add(20L);
        in(backend, 2, average).add(30L);
        AggregatingState<Long, Double> target = in(backend, 1, average);
        merging(target).mergeNamespaces(1L, List.of(2L));
        assertThat(target.get()).isEqualTo(20.0);
        target.add(40L);
        assertThat(target.get()).isEqualTo(25.0);
        assertThat(in(backend, 2, average).get()).isNull();
    }

    @Test
    void aggregateFunctionsWithoutMergeFailClearlyAndChangeNothing() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        AggregatingStateDescriptor<Long, Long, Long> noMerge = new AggregatingStateDescriptor<>(
                "no-merge",
                new AggregateFunction<Long, Long, Long>() {
                    @Override
                    public Long createAccumulator() {
                        return 0L;
                    }

                    @Override
                    public Long add(Long value, Long accumulator) {
                        return value + accumulator;
                    }

                    @Override
                    public Long getResult(Long accumulator) {
                        return accumulator;
                    }
                },
                Serializers.LONG);
        backend.setCurrentKey("user");
        in(backend, 1, noMerge).add(1L);
        in(backend, 2, noMerge).add(2L);
        assertThatThrownBy(() -> merging(in(backend, 1, noMerge)).mergeNamespaces(1L, List.of(2L)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("merge");
        assertThat(in(backend, 1, noMerge).get()).isEqualTo(1L);
    }

    @Test
    void mergedStateSurvivesSnapshotRestoreAndRescaling() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        for (int user = 0; user < 40; user++) {
            backend.setCurrentKey("user" + user);
            in(backend, 1, events).add("e1-" + user);
            in(backend, 2, events).add("e2-" + user);
            in(backend, 1, joined).add("j1");
            in(backend, 2, joined).add("j2");
            in(backend, 1, average).add(1L);
            in(backend, 2, average).add(3L);
            merging(in(backend, 1, events)).mergeNamespaces(3L, List.of(1L, 2L));
            merging(in(backend, 1, joined)).mergeNamespaces(3L, List.of(2L, 1L));
            merging(in(backend, 1, average)).mergeNamespaces(3L, List.of(1L, 2L));
        }
        var handles = handles(snapshot(backend));
        for (int parallelism : new int[] {1, 2}) {
            List<CheckpointableKeyedStateBackend<String>> restored = new ArrayList<>();
            for (int index = 0; index < parallelism; index++) {
                restored.add(restoreBackend(Serializers.STRING, handles, rangeOf(index, parallelism)));
            }
            for (int user = 0; user < 40; user++) {
                String key = "user" + user;
                CheckpointableKeyedStateBackend<String> owner = restored.get(ownerOf(key, parallelism));
                owner.setCurrentKey(key);
                assertThat(list(in(owner, 3, events))).containsExactly("e1-" + user, "e2-" + user);
                assertThat(list(in(owner, 1, events))).isEmpty();
                assertThat(in(owner, 3, joined).get()).isEqualTo("j2+j1");
                assertThat(in(owner, 2, joined).get()).isNull();
                assertThat(in(owner, 3, average).get()).isEqualTo(2.0);
                in(owner, 4, events).add("later");
                merging(in(owner, 4, events)).mergeNamespaces(3L, List.of(4L));
                assertThat(list(in(owner, 3, events))).containsExactly("e1-" + user, "e2-" + user, "later");
            }
            long namespaces = restored.stream()
                    .flatMap(b -> b.<Long>getKeysAndNamespaces("events"))
                    .count();
            assertThat(namespaces)
                    .as("one (key, namespace) per user, in namespace 3")
                    .isEqualTo(40);
            // A second round trip covers the merges done after the restore (for the changelog: replayed merges).
            for (CheckpointableKeyedStateBackend<String> instance : restored) {
                CheckpointableKeyedStateBackend<String> again =
                        restoreBackend(Serializers.STRING, handles(snapshot(instance)), instance.getKeyGroupRange());
                List<KeyAndNamespace<String, Long>> pairs =
                        again.<Long>getKeysAndNamespaces("events").toList();
                assertThat(pairs).isNotEmpty().allMatch(pair -> pair.namespace() == 3L);
                for (KeyAndNamespace<String, Long> pair : pairs) {
                    again.setCurrentKey(pair.key());
                    assertThat(list(in(again, 3, events))).hasSize(3).endsWith("later");
                }
            }
        }
    }
}

package dev.cairn.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.changelog.internal.ChangelogReplay;
import dev.cairn.conformance.EncodedLongSerializer;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replay applies the changes of a run of segments in the order the backend prefers (key order; RocksDB in write
 * batches), which must give the state that applying them as recorded gives: the changes of one entry keep their
 * order across segments and runs, a merge of namespaces sees every change before it and none after it, and each
 * change is read with the serializers its own segment describes.
 */
class ChangelogReplayOrderTest {
    private final ListStateDescriptor<Long> events = new ListStateDescriptor<>("events", Serializers.LONG);
    private final ValueStateDescriptor<Long> values = new ValueStateDescriptor<>("values", Serializers.LONG);
    private final MapStateDescriptor<Integer, Long> maps =
            new MapStateDescriptor<>("maps", Serializers.INT, Serializers.LONG);

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("hashmap", (Supplier<StateBackend>) HashMapStateBackend::new),
                Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new),
                Arguments.of("rocksdb with a tiny object cache", (Supplier<StateBackend>) () -> {
                    EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
                    backend.setCacheMaxEntries(16); // constant eviction: cached and batched writes interleave
                    return backend;
                }));
    }

    /** No periodic materialization: everything is replayed; changes are uploaded every {@code segmentBytes}. */
    private static ChangelogStateBackend changelog(Supplier<StateBackend> inner, long segmentBytes) {
        return new ChangelogStateBackend(
                inner.get(),
                new InMemoryStateChangelogStorage(),
                new ChangelogStateBackend.Settings(false, Duration.ofMinutes(10), 1, segmentBytes));
    }

    private static List<KeyedStateHandle> checkpoint(CheckpointableKeyedStateBackend<Long> backend) throws Exception {
        return List.of(backend.snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                .getHandle());
    }

    private static CheckpointableKeyedStateBackend<Long> create(
            ChangelogStateBackend backend, List<KeyedStateHandle> restoreFrom) {
        return backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                .restoreFrom(restoreFrom)
                .build());
    }

    @SuppressWarnings("unchecked")
    private ListState<Long> events(CheckpointableKeyedStateBackend<Long> backend, String window) {
        return backend.getPartitionedState(window, Serializers.STRING, events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    @SuppressWarnings("unchecked")
    void aMergeOfNamespacesSeesTheChangesBeforeItAndNoneAfterIt(String name, Supplier<StateBackend> inner)
            throws Exception {
        ChangelogStateBackend stateBackend = changelog(inner, 64 << 20); // one segment
        List<KeyedStateHandle> checkpoint;
        try (CheckpointableKeyedStateBackend<Long> backend = create(stateBackend, List.of())) {
            // Keys interleaved, so that key order differs from the recorded order; the target namespace "a" sorts
            // before its sources "b" and "c".
            for (long key = 0; key < 50; key++) {
                backend.setCurrentKey(key);
                events(backend, "b").add(key * 10 + 1);
                events(backend, "c").add(key * 10 + 5);
            }
            for (long key = 49; key >= 0; key--) {
                backend.setCurrentKey(key);
                ((InternalMergingState<String>) events(backend, "a")).mergeNamespaces("a", List.of("b", "c"));
            }
            for (long key = 0; key < 50; key++) {
                backend.setCurrentKey(key);
                events(backend, "b").add(key * 10 + 2);
                events(backend, "a").add(key * 10 + 3);
            }
            checkpoint = checkpoint(backend);
        }
        try (CheckpointableKeyedStateBackend<Long> restored = create(stateBackend, checkpoint)) {
            for (long key = 0; key < 50; key++) {
                restored.setCurrentKey(key);
                assertThat(events(restored, "a").get())
                        .as("a of %s", key)
                        .containsExactly(key * 10 + 1, key * 10 + 5, key * 10 + 3);
                assertThat(events(restored, "b").get()).as("b of %s", key).containsExactly(key * 10 + 2);
                assertThat(events(restored, "c").get()).as("c of %s", key).isNullOrEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void manyChangesOfFewKeysReplayToTheStateTheyRecorded(String name, Supplier<StateBackend> inner) throws Exception {
        // Many segments: a key's changes fall into several runs, the later ones after the earlier were batched.
        ChangelogStateBackend stateBackend = changelog(inner, 4096);
        Map<Long, Long> expectedValues = new HashMap<>();
        Map<Long, Map<Integer, Long>> expectedMaps = new HashMap<>();
        Map<Long, List<Long>> expectedLists = new HashMap<>();
        List<KeyedStateHandle> checkpoint;
        try (CheckpointableKeyedStateBackend<Long> backend = create(stateBackend, List.of())) {
            ValueState<Long> value = backend.getState(values);
            MapState<Integer, Long> map = backend.getState(maps);
            ListState<Long> list = events(backend, "w");
            Random random = new Random(5);
            for (long i = 0; i < 30_000; i++) { // several of RocksDB's write batches, many changes per entry
                long key = random.nextInt(300);
                backend.setCurrentKey(key);
                switch (random.nextInt(9)) {
                    case 0 -> {
                        value.clear();
                        expectedValues.remove(key);
                    }
                    case 1 -> {
                        map.clear();
                        expectedMaps.remove(key);
                    }
                    case 2 -> {
                        int mapKey = random.nextInt(10);
                        map.remove(mapKey);
                        expectedMaps.getOrDefault(key, new HashMap<>()).remove(mapKey);
                    }
                    case 3, 4 -> {
                        int mapKey = random.nextInt(10);
                        map.put(mapKey, i);
                        expectedMaps.computeIfAbsent(key, k -> new HashMap<>()).put(mapKey, i);
                    }
                    case 5 -> {
                        list.add(i);
                        expectedLists
                                .computeIfAbsent(key, k -> new ArrayList<>())
                                .add(i);
                    }
                    case 6 -> {
                        list.update(List.of(i, -i));
                        expectedLists.put(key, new ArrayList<>(List.of(i, -i)));
                    }
                    default -> {
                        value.update(i);
                        expectedValues.put(key, i);
                    }
                }
            }
            checkpoint = checkpoint(backend);
        }
        try (CheckpointableKeyedStateBackend<Long> restored = create(stateBackend, checkpoint)) {
            ValueState<Long> value = restored.getState(values);
            MapState<Integer, Long> map = restored.getState(maps);
            for (long key = 0; key < 300; key++) {
                restored.setCurrentKey(key);
                assertThat(value.value()).as("value of %s", key).isEqualTo(expectedValues.get(key));
                Map<Integer, Long> restoredMap = new HashMap<>();
                for (Map.Entry<Integer, Long> entry : map.entries()) {
                    restoredMap.put(entry.getKey(), entry.getValue());
                }
                assertThat(restoredMap).as("map of %s", key).isEqualTo(expectedMaps.getOrDefault(key, Map.of()));
                List<Long> restoredList = new ArrayList<>();
                Iterable<Long> elements = events(restored, "w").get();
                if (elements != null) {
                    elements.forEach(restoredList::add);
                }
                assertThat(restoredList).as("list of %s", key).isEqualTo(expectedLists.getOrDefault(key, List.of()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aValueUpdatedInManySegmentsEndsWithItsLastUpdate(String name, Supplier<StateBackend> inner) throws Exception {
        // Few keys, no reads: with an object cache, some updates are cached and written when evicted while others
        // wait in the replay's write batch — the batch must not be written after a newer evicted value.
        ChangelogStateBackend stateBackend = changelog(inner, 512);
        Map<Long, Long> expected = new HashMap<>();
        List<KeyedStateHandle> checkpoint;
        try (CheckpointableKeyedStateBackend<Long> backend = create(stateBackend, List.of())) {
            ValueState<Long> value = backend.getState(values);
            Random random = new Random(8);
            for (long i = 0; i < 20_000; i++) {
                long key = random.nextInt(24);
                backend.setCurrentKey(key);
                value.update(i);
                expected.put(key, i);
            }
            checkpoint = checkpoint(backend);
        }
        try (CheckpointableKeyedStateBackend<Long> restored = create(stateBackend, checkpoint)) {
            ValueState<Long> value = restored.getState(values);
            for (long key = 0; key < 24; key++) {
                restored.setCurrentKey(key);
                assertThat(value.value()).as("value of %s", key).isEqualTo(expected.get(key));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void runsBoundedToFewSegmentsReplayToTheSameState(String name, Supplier<StateBackend> inner) throws Exception {
        ChangelogStateBackend stateBackend = changelog(inner, 2048);
        Map<Long, Long> expectedValues = new HashMap<>();
        Map<Long, List<Long>> expectedLists = new HashMap<>();
        List<KeyedStateHandle> checkpoint;
        try (CheckpointableKeyedStateBackend<Long> backend = create(stateBackend, List.of())) {
            ValueState<Long> value = backend.getState(values);
            ListState<Long> list = events(backend, "w");
            Random random = new Random(13);
            for (long i = 0; i < 20_000; i++) {
                long key = random.nextInt(200);
                backend.setCurrentKey(key);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        value.clear();
                        expectedValues.remove(key);
                    }
                    case 1 -> {
                        list.add(i);
                        expectedLists
                                .computeIfAbsent(key, k -> new ArrayList<>())
                                .add(i);
                    }
                    case 2 -> {
                        list.update(List.of(i));
                        expectedLists.put(key, new ArrayList<>(List.of(i)));
                    }
                    default -> {
                        value.update(i);
                        expectedValues.put(key, i);
                    }
                }
            }
            checkpoint = checkpoint(backend);
        }
        ChangelogStateBackendHandle handle = (ChangelogStateBackendHandle) checkpoint.get(0);
        assertThat(handle.changes()).hasSizeGreaterThan(20);
        // One segment per run, a few per run, all in one run (the default bound).
        for (long bound : new long[] {1, 5 * 2048, 1L << 30}) {
            try (CheckpointableKeyedStateBackend<Long> restored = inner.get()
                    .createKeyedStateBackend(
                            KeyedBackendParameters.builder(Serializers.LONG).build())) {
                new ChangelogReplay<>(restored, getClass().getClassLoader(), bound).replay(List.of(handle));
                ValueState<Long> value = restored.getState(values);
                for (long key = 0; key < 200; key++) {
                    restored.setCurrentKey(key);
                    assertThat(value.value())
                            .as("value of %s, runs of %s bytes", key, bound)
                            .isEqualTo(expectedValues.get(key));
                    List<Long> restoredList = new ArrayList<>();
                    Iterable<Long> elements = events(restored, "w").get();
                    if (elements != null) {
                        elements.forEach(restoredList::add);
                    }
                    assertThat(restoredList)
                            .as("list of %s, runs of %s bytes", key, bound)
                            .isEqualTo(expectedLists.getOrDefault(key, List.of()));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void changesOfAStateDescribedDifferentlyInTwoHandlesAreEachReadWithTheirOwnSerializer(
            String name, Supplier<StateBackend> inner) throws Exception {
        // Two instances whose serializers of the same state differ in configuration (and so in their bytes);
        // scaling in to one instance replays both handles, each with its own serializer.
        ChangelogStateBackend stateBackend = changelog(inner, 4096);
        List<KeyedStateHandle> handles = new ArrayList<>();
        Map<Long, Long> expected = new HashMap<>();
        KeyGroupRange[] halves = {KeyGroupRange.of(0, 63), KeyGroupRange.of(64, 127)};
        for (int instance = 0; instance < 2; instance++) {
            ValueStateDescriptor<Long> encoded =
                    new ValueStateDescriptor<>("encoded", new EncodedLongSerializer(instance * 1000L));
            try (CheckpointableKeyedStateBackend<Long> backend =
                    stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                            .keyGroupRange(halves[instance])
                            .build())) {
                ValueState<Long> value = backend.getState(encoded);
                for (long key = 0; key < 2_000; key++) {
                    if (halves[instance].contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                        backend.setCurrentKey(key);
                        value.update(key * 10);
                        expected.put(key, key * 10);
                    }
                }
                handles.addAll(checkpoint(backend));
            }
        }
        try (CheckpointableKeyedStateBackend<Long> restored = create(stateBackend, handles)) {
            ValueState<Long> value =
                    restored.getState(new ValueStateDescriptor<>("encoded", new EncodedLongSerializer(0)));
            for (long key = 0; key < 2_000; key++) {
                restored.setCurrentKey(key);
                assertThat(value.value()).as("value of %s", key).isEqualTo(expected.get(key));
            }
        }
    }
}

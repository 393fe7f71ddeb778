package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous part runs on another thread while the task thread keeps inserting, updating, growing and
 * removing entries (forcing table growth and copy-on-write everywhere); every snapshot must restore to exactly
 * the state at its synchronous part.
 */
public abstract class ConcurrentSnapshotConformance extends StateBackendTestBase {
    private static final int KEYS = 4_000;
    private final ValueStateDescriptor<Long> values = new ValueStateDescriptor<>("values", Serializers.LONG);
    private final ListStateDescriptor<Long> lists = new ListStateDescriptor<>("lists", Serializers.LONG);
    private final MapStateDescriptor<Long, Long> maps =
            new MapStateDescriptor<>("maps", Serializers.LONG, Serializers.LONG);
    private final ExecutorService snapshotThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() throws InterruptedException {
        snapshotThread.shutdownNow();
        snapshotThread.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** The reference copy of everything the backend holds. */
    private record Model(Map<Long, Long> values, Map<Long, List<Long>> lists, Map<Long, Map<Long, Long>> maps) {
        Model copy() {
            Map<Long, List<Long>> l = new HashMap<>();
            lists.forEach((k, v) -> l.put(k, new ArrayList<>(v)));
            Map<Long, Map<Long, Long>> m = new HashMap<>();
            maps.forEach((k, v) -> m.put(k, new HashMap<>(v)));
            return new Model(new HashMap<>(values), l, m);
        }
    }

    @Test
    void snapshotsTakenWhileWritingContinuesAreExact() throws Exception {
        var backend = createBackend(dev.cairn.state.spi.KeyedBackendParameters.builder(Serializers.LONG)
                .build());
        ValueState<Long> value = backend.getState(values);
        ListState<Long> list = backend.getState(lists);
        MapState<Long, Long> map = backend.getState(maps);
        Model model = new Model(new HashMap<>(), new HashMap<>(), new HashMap<>());
        Random random = new Random(42);
        List<Future<SnapshotResult<KeyedStateHandle>>> results = new ArrayList<>();
        List<Model> expected = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                    startSnapshot(backend, SnapshotOptions.checkpoint());
            expected.add(model.copy());
            results.add(snapshotThread.submit(() -> {
                snapshot.run();
                return snapshot.get();
            }));
            // Keys grow with each round so maps resize while snapshots are pending.
            int keyBound = KEYS * (round + 1);
            for (int op = 0; op < 20_000; op++) {
                long key = random.nextInt(keyBound);
                backend.setCurrentKey(key);
                switch (random.nextInt(6)) {
                    case 0 -> {
                        value.update((long) op);
                        model.values.put(key, (long) op);
                    }
                    case 1 -> {
                        value.clear();
                        model.values.remove(key);
                    }
                    case 2 -> {
                        list.add((long) op);
                        model.lists.computeIfAbsent(key, k -> new ArrayList<>()).add((long) op);
                    }
                    case 3 -> {
                        list.clear();
                        model.lists.remove(key);
                    }
                    case 4 -> {
                        long userKey = random.nextInt(8);
                        map.put(userKey, (long) op);
                        model.maps.computeIfAbsent(key, k -> new HashMap<>()).put(userKey, (long) op);
                    }
                    default -> {
                        long userKey = random.nextInt(8);
                        map.remove(userKey);
                        Map<Long, Long> userMap = model.maps.get(key);
                        if (userMap != null) {
                            userMap.remove(userKey);
                            if (userMap.isEmpty()) {
                                model.maps.remove(key);
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < results.size(); i++) {
            KeyedStateHandle handle = results.get(i).get(60, TimeUnit.SECONDS).getHandle();
            var restored = restoreBackend(Serializers.LONG, handles(handle), backend.getKeyGroupRange());
            assertEquals(restored, expected.get(i));
        }
        assertEquals(backend, model);
    }

    private void assertEquals(CheckpointableKeyedStateBackend<Long> backend, Model model) {
        ValueState<Long> value = backend.getState(values);
        ListState<Long> list = backend.getState(lists);
        MapState<Long, Long> map = backend.getState(maps);
        Map<Long, Long> actualValues = new HashMap<>();
        Map<Long, List<Long>> actualLists = new HashMap<>();
        Map<Long, Map<Long, Long>> actualMaps = new HashMap<>();
        for (long key = 0; key < KEYS * 6; key++) {
            backend.setCurrentKey(key);
            if (value.value() != null) {
                actualValues.put(key, value.value());
            }
            List<Long> elements = new ArrayList<>();
            list.get().forEach(elements::add);
            if (!elements.isEmpty()) {
                actualLists.put(key, elements);
            }
            Map<Long, Long> entries = new HashMap<>();
            map.entries().forEach(e -> entries.put(e.getKey(), e.getValue()));
            if (!entries.isEmpty()) {
                actualMaps.put(key, entries);
            }
        }
        assertThat(actualValues).isEqualTo(model.values);
        assertThat(actualLists).isEqualTo(model.lists);
        assertThat(actualMaps).isEqualTo(model.maps);
        assertThat(backend.numKeyValueStateEntries())
                .isEqualTo(model.values.size() + model.lists.size() + model.maps.size());
    }
}

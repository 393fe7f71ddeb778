package dev.cairn.state.rocksdb.internal;

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
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.WrappableKeyedStateBackend.BulkWrites;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk write scope a changelog replay opens: writes are collected in write batches, yet every read in the
 * scope sees every earlier write, the writes of one entry keep their order across batches, and closing the scope
 * leaves the database as if each write had gone straight in.
 */
class RocksDBBulkWritesTest {
    @TempDir
    Path directory;

    private final ValueStateDescriptor<Long> values = new ValueStateDescriptor<>("values", Serializers.LONG);
    private final MapStateDescriptor<Integer, String> maps =
            new MapStateDescriptor<>("maps", Serializers.INT, Serializers.STRING);
    private final ListStateDescriptor<Long> lists = new ListStateDescriptor<>("lists", Serializers.LONG);

    private RocksDBKeyedStateBackend<Long> backend(List<KeyedStateHandle> restoreFrom) {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true);
        backend.setDbStoragePaths(directory.toString());
        return (RocksDBKeyedStateBackend<Long>)
                backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .restoreFrom(restoreFrom)
                        .build());
    }

    @Test
    void readsInTheScopeSeeEveryEarlierWriteAndTheScopeLeavesWhatDirectWritesWould() throws Exception {
        Map<Long, Long> expectedValues = new HashMap<>();
        Map<Long, Map<Integer, String>> expectedMaps = new HashMap<>();
        List<KeyedStateHandle> snapshot;
        try (RocksDBKeyedStateBackend<Long> backend = backend(List.of())) {
            ValueState<Long> value = backend.getState(values);
            MapState<Integer, String> map = backend.getState(maps);
            Random random = new Random(11);
            try (BulkWrites bulk = backend.beginBulkWrites()) {
                assertThat(bulk.prefersKeyOrder()).isTrue();
                // More writes than one batch holds, several per key, in random key order.
                for (int i = 0; i < 3 * RocksDBStateAccess.BULK_BATCH_ENTRIES; i++) {
                    long key = random.nextInt(500);
                    backend.setCurrentKey(key);
                    switch (random.nextInt(6)) {
                        case 0 -> {
                            value.clear();
                            expectedValues.remove(key);
                        }
                        case 1 -> {
                            map.clear(); // a range delete: written after everything collected before it
                            expectedMaps.remove(key);
                        }
                        case 2 -> {
                            int mapKey = random.nextInt(20);
                            map.remove(mapKey);
                            expectedMaps.getOrDefault(key, new HashMap<>()).remove(mapKey);
                        }
                        case 3 -> {
                            int mapKey = random.nextInt(20);
                            map.put(mapKey, "v" + i);
                            expectedMaps
                                    .computeIfAbsent(key, k -> new HashMap<>())
                                    .put(mapKey, "v" + i);
                        }
                        default -> {
                            value.update((long) i);
                            expectedValues.put(key, (long) i);
                        }
                    }
                    if (i % 97 == 0) { // a read in the middle of a batch
                        assertThat(value.value()).isEqualTo(expectedValues.get(key));
                        assertThat(toMap(map)).isEqualTo(expectedMaps.getOrDefault(key, Map.of()));
                    }
                }
            }
            assertState(backend, expectedValues, expectedMaps);
            snapshot = List.of(backend.snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                    .getHandle());
        }
        try (RocksDBKeyedStateBackend<Long> restored = backend(snapshot)) {
            assertState(restored, expectedValues, expectedMaps);
        }
    }

    @Test
    void mergesOfListsAreCollectedAndReadBack() {
        try (RocksDBKeyedStateBackend<Long> backend = backend(List.of())) {
            ListState<Long> list = backend.getState(lists);
            try (BulkWrites bulk = backend.beginBulkWrites()) {
                for (long i = 0; i < 10; i++) {
                    backend.setCurrentKey(i % 3);
                    list.add(i);
                }
                backend.setCurrentKey(1L);
                assertThat(list.get()).containsExactly(1L, 4L, 7L);
                list.update(List.of(42L));
                list.add(43L);
            }
            backend.setCurrentKey(1L);
            assertThat(list.get()).containsExactly(42L, 43L);
            backend.setCurrentKey(2L);
            assertThat(list.get()).containsExactly(2L, 5L, 8L);
        }
    }

    @Test
    void keysAndEntryCountsInTheScopeIncludeCollectedWrites() {
        try (RocksDBKeyedStateBackend<Long> backend = backend(List.of())) {
            ValueState<Long> value = backend.getState(values);
            try (BulkWrites bulk = backend.beginBulkWrites()) {
                for (long key = 0; key < 100; key++) {
                    backend.setCurrentKey(key);
                    value.update(key);
                }
                assertThat(backend.numKeyValueStateEntries()).isEqualTo(100);
                try (var keys = backend.getKeys("values", VoidNamespace.INSTANCE)) {
                    assertThat(keys).hasSize(100);
                }
            }
        }
    }

    @Test
    void oneScopeAtATime() {
        try (RocksDBKeyedStateBackend<Long> backend = backend(List.of())) {
            try (BulkWrites bulk = backend.beginBulkWrites()) {
                assertThatThrownBy(backend::beginBulkWrites)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already open");
            }
            backend.beginBulkWrites().close(); // the ended scope allows a new one
        }
    }

    private void assertState(
            RocksDBKeyedStateBackend<Long> backend,
            Map<Long, Long> expectedValues,
            Map<Long, Map<Integer, String>> expectedMaps)
            throws Exception {
        ValueState<Long> value = backend.getState(values);
        MapState<Integer, String> map = backend.getState(maps);
        for (long key = 0; key < 500; key++) {
            backend.setCurrentKey(key);
            assertThat(value.value()).as("value of %s", key).isEqualTo(expectedValues.get(key));
            assertThat(toMap(map)).as("map of %s", key).isEqualTo(expectedMaps.getOrDefault(key, Map.of()));
        }
    }

    private static Map<Integer, String> toMap(MapState<Integer, String> map) throws Exception {
        Map<Integer, String> copy = new HashMap<>();
        for (Map.Entry<Integer, String> entry : map.entries()) {
            copy.put(entry.getKey(), entry.getValue());
        }
        return copy;
    }
}

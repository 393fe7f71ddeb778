package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A merged list must not outgrow RocksDB's value size: the append that would cross the limit fails before
 * writing. The limit is lowered to 1000 bytes here; in production it is 2^31-1.
 */
class RocksDBListSizeLimitTest {
    @TempDir
    Path directory;

    @AfterEach
    void restoreLimit() {
        RocksDBListState.maxListBytes = Integer.MAX_VALUE;
        RocksDBListState.trackedLists = 262_144;
    }

    private CheckpointableKeyedStateBackend<String> backend() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setDbStoragePaths(directory.toString());
        return backend.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.STRING).build());
    }

    @Test
    void anAppendThatWouldCrossTheLimitFailsBeforeWriting() {
        RocksDBListState.maxListBytes = 1000;
        try (CheckpointableKeyedStateBackend<String> backend = backend()) {
            ListState<String> list = backend.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            backend.setCurrentKey("k");
            String element = "x".repeat(98); // 98 bytes + 1 length byte, + 1 element length byte = 100
            for (int i = 0; i < 10; i++) {
                list.add(element);
            }
            assertThatThrownBy(() -> list.add(element))
                    .isInstanceOf(StateBackendException.class)
                    .hasMessageContaining("'events'")
                    .hasMessageContaining("'k'")
                    .hasMessageContaining("nothing was written");
            assertThat(list.get()).hasSize(10);
            assertThatThrownBy(() -> list.addAll(List.of("y"))).isInstanceOf(StateBackendException.class);
            list.update(List.of(element));
            list.add(element);
            assertThat(list.get()).hasSize(2);
        }
    }

    @Test
    void sizesOfListsNotRememberedAreLookedUp() {
        try (CheckpointableKeyedStateBackend<String> backend = backend()) {
            ListState<String> list = backend.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            backend.setCurrentKey("k");
            for (int i = 0; i < 9; i++) {
                list.add("x".repeat(98));
            }
            // A table that does not know the state's lists (as for restored state): the stored size is read before
            // the next append.
            RocksDBListState.maxListBytes = 1000;
            RocksDBKeyedStateBackend<String> rocks = (RocksDBKeyedStateBackend<String>) backend;
            ListState<String> sameStateFresh = new RocksDBListState<>(
                    rocks.stateAccess(), rocks.registry().get("events"), new ListSizeBounds(10, false));
            ((RocksDBListState<String, Object, String>) sameStateFresh)
                    .setCurrentNamespace(dev.cairn.state.VoidNamespace.INSTANCE);
            sameStateFresh.add("x".repeat(98));
            assertThatThrownBy(() -> sameStateFresh.add("x".repeat(98))).isInstanceOf(StateBackendException.class);
        }
    }

    @Test
    void aClearedListGrowsAgainUpToTheLimitThoughItsBoundIsStale() {
        RocksDBListState.maxListBytes = 1000;
        try (CheckpointableKeyedStateBackend<String> backend = backend()) {
            ListState<String> list = backend.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            backend.setCurrentKey("k");
            String element = "x".repeat(98);
            for (int i = 0; i < 10; i++) {
                list.add(element);
            }
            list.clear(); // the size bound stays at 1000: the next appends must check the exact size
            for (int i = 0; i < 10; i++) {
                list.add(element);
            }
            assertThat(list.get()).hasSize(10);
            assertThatThrownBy(() -> list.add(element)).isInstanceOf(StateBackendException.class);
        }
    }

    @Test
    void aListTheTableForgotStaysBoundedWithoutReadsAndStillCannotCrossTheLimit() {
        RocksDBListState.maxListBytes = 1000;
        RocksDBListState.trackedLists = 50;
        try (CheckpointableKeyedStateBackend<String> backend = backend()) {
            ListState<String> list = backend.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            String element = "x".repeat(98);
            backend.setCurrentKey("big");
            for (int i = 0; i < 9; i++) {
                list.add(element);
            }
            for (int i = 0; i < 200; i++) { // four times the table: "big" is forgotten
                backend.setCurrentKey("small-" + i);
                list.add("s");
            }
            backend.setCurrentKey("big");
            list.add(element); // 1000 bytes: still allowed
            assertThatThrownBy(() -> list.add(element))
                    .isInstanceOf(StateBackendException.class)
                    .hasMessageContaining("'big'");
            assertThat(list.get()).hasSize(10);
        }
    }

    @ParameterizedTest(name = "incremental: {0}")
    @ValueSource(booleans = {false, true})
    void restoredListsAreBoundedByTheirStoredSize(boolean incremental) throws Exception {
        EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend(incremental);
        rocksdb.setDbStoragePaths(directory.toString());
        String element = "x".repeat(98);
        KeyedStateHandle snapshot;
        try (CheckpointableKeyedStateBackend<String> backend = rocksdb.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.STRING).build())) {
            ListState<String> list = backend.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            backend.setCurrentKey("k");
            for (int i = 0; i < 9; i++) {
                list.add(element);
            }
            RunnableFuture<SnapshotResult<KeyedStateHandle>> future =
                    backend.snapshot(1, 1, new MemoryCheckpointStreamFactory(1 << 20), SnapshotOptions.checkpoint());
            future.run();
            snapshot = future.get().getHandle();
        }
        RocksDBListState.maxListBytes = 1000;
        try (CheckpointableKeyedStateBackend<String> restored =
                rocksdb.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .restoreFrom(List.of(snapshot))
                        .build())) {
            ListState<String> list = restored.getState(new ListStateDescriptor<>("events", Serializers.STRING));
            restored.setCurrentKey("k");
            list.add(element);
            assertThatThrownBy(() -> list.add(element))
                    .as("the restored 900 bytes count: the append must not assume an empty list")
                    .isInstanceOf(StateBackendException.class);
            assertThat(list.get()).hasSize(10);
        }
    }
}

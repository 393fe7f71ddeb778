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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            // A fresh state object knows no sizes: it must read the stored size before the next append.
            RocksDBListState.maxListBytes = 1000;
            RocksDBKeyedStateBackend<String> rocks = (RocksDBKeyedStateBackend<String>) backend;
            ListState<String> sameStateFresh =
                    new RocksDBListState<>(rocks.stateAccess(), rocks.registry().get("events"));
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
}

package dev.cairn.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.MemorySize;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native resources: bounded memory under a shared budget, nothing left behind after many create/close cycles. */
class RocksDBResourcesTest {
    /** Cycles of the leak test; raise with -Dcairn.rocksdb.leakCycles for a longer soak. */
    private static final int CYCLES = Integer.getInteger("cairn.rocksdb.leakCycles", 1000);

    @TempDir
    Path directory;

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void createAndCloseCyclesLeakNoFilesThreadsOrDirectories() throws IOException {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setDbStoragePaths(directory.toString());
        // Warm up: the first instance loads the native library and starts RocksDB's shared threads.
        for (int i = 0; i < 5; i++) {
            cycle(backend, i);
        }
        long fdsBefore = openFileDescriptors();
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < CYCLES; i++) {
            cycle(backend, i);
        }
        assertThat(openFileDescriptors())
                .as("open file descriptors after %d cycles", CYCLES)
                .isLessThanOrEqualTo(fdsBefore + 5);
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left).as("working directories removed").isEmpty();
        }
    }

    private static void cycle(EmbeddedRocksDBStateBackend backend, int i) {
        CheckpointableKeyedStateBackend<String> keyed = backend.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.STRING).build());
        ValueState<Long> state = keyed.getState(new ValueStateDescriptor<>("v", Serializers.LONG));
        keyed.setCurrentKey("k" + i);
        state.update((long) i);
        keyed.close();
    }

    @Test
    void aSmallBudgetBoundsTheSharedCacheAcrossInstancesAndStates() {
        RocksDBMemoryBudget budget = new RocksDBMemoryBudget(MemorySize.ofMebiBytes(8), 0.5, 0.1);
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setMemoryBudget(budget);
        backend.setDbStoragePaths(directory.toString());
        List<CheckpointableKeyedStateBackend<Long>> instances = new ArrayList<>();
        byte[] payload = new byte[200];
        for (int instance = 0; instance < 3; instance++) {
            CheckpointableKeyedStateBackend<Long> keyed = backend.createKeyedStateBackend(
                    KeyedBackendParameters.builder(Serializers.LONG).build());
            instances.add(keyed);
            for (int s = 0; s < 10; s++) {
                ValueState<byte[]> state =
                        keyed.getState(new ValueStateDescriptor<>("state-" + s, Serializers.BYTE_ARRAY));
                for (long key = 0; key < 3000; key++) {
                    keyed.setCurrentKey(key);
                    state.update(payload);
                }
            }
        }
        long capacity = budget.cacheCapacity();
        assertThat(capacity).isEqualTo((long) (8 * 1024 * 1024 * 2.5 / 3));
        // Memtables are charged to the shared cache by the write buffer manager: usage stays near the budget.
        assertThat(budget.usage()).isPositive().isLessThanOrEqualTo((long) (budget.getTotalBytes() * 1.1));
        instances.forEach(CheckpointableKeyedStateBackend::close);
        assertThat(budget.usage())
                .as("native cache freed with the last instance")
                .isZero();
    }
}

package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.Configuration;
import dev.cairn.state.MemorySize;
import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.rocksdb.RocksDBOptions;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rocksdb.ColumnFamilyHandle;

/**
 * RocksDB timers beyond what the queue caches: with two key groups and thousands of timers most registrations
 * land behind the cached range, where the queue writes blindly unless its filter cannot rule the timer out. {@code
 * add} and {@code remove} must still say exactly whether anything changed, {@code size()} must stay exact, and a
 * snapshot must hold the registrations still collected in the queue's write batch.
 */
class RocksDBTimerQueueTest {
    @TempDir
    Path directory;

    private RocksDBKeyedStateBackend<Long> backend(EmbeddedRocksDBStateBackend backend, List<KeyedStateHandle> from) {
        backend.setDbStoragePaths(directory.toString());
        return (RocksDBKeyedStateBackend<Long>)
                backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .numberOfKeyGroups(2)
                        .restoreFrom(from)
                        .build());
    }

    enum Snapshot {
        CHECKPOINT,
        SAVEPOINT
    }

    @ParameterizedTest
    @EnumSource(Snapshot.class)
    void addAndRemoveSayWhatChangedSizeStaysExactAndASnapshotHoldsTheCollectedWrites(Snapshot kind) throws Exception {
        Set<Timer<Long, VoidNamespace>> model = new HashSet<>();
        List<Timer<Long, VoidNamespace>> registered = new ArrayList<>();
        Random random = new Random(23);
        List<KeyedStateHandle> snapshot;
        // More timers than the smallest filter is sized for: the queue grows its filter on the way.
        int timers = 2 * TimerMembershipFilter.MIN_COUNTERS / TimerMembershipFilter.COUNTERS_PER_TIMER;
        long clock = 0;
        try (RocksDBKeyedStateBackend<Long> backend = backend(new EmbeddedRocksDBStateBackend(true), List.of())) {
            KeyGroupedTimerQueue<Long, VoidNamespace> queue =
                    backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
            for (int step = 0; step < 3 * timers; step++) {
                int op = random.nextInt(10);
                if (op < 6 || registered.isEmpty()) {
                    Timer<Long, VoidNamespace> timer = pick(random, registered, 4, clock);
                    boolean added = model.add(timer);
                    if (added) {
                        registered.add(timer);
                    }
                    assertThat(queue.add(timer)).as("add %s", timer).isEqualTo(added);
                } else if (op < 8) {
                    Timer<Long, VoidNamespace> timer = pick(random, registered, 2, clock);
                    boolean removed = model.remove(timer);
                    if (removed) {
                        registered.remove(timer);
                    }
                    assertThat(queue.remove(timer)).as("remove %s", timer).isEqualTo(removed);
                } else {
                    Timer<Long, VoidNamespace> fired = queue.poll();
                    assertThat(fired.timestamp()).isEqualTo(earliest(model));
                    assertThat(model.remove(fired)).isTrue();
                    registered.remove(fired);
                    clock = fired.timestamp();
                }
                assertThat(queue.size()).isEqualTo(model.size());
            }
            SnapshotOptions options =
                    kind == Snapshot.SAVEPOINT ? SnapshotOptions.savepoint() : SnapshotOptions.checkpoint();
            snapshot = List.of(backend.snapshotNow(1, new MemoryCheckpointStreamFactory(), options)
                    .getHandle());
        }
        try (RocksDBKeyedStateBackend<Long> restored = backend(new EmbeddedRocksDBStateBackend(true), snapshot)) {
            KeyGroupedTimerQueue<Long, VoidNamespace> queue =
                    restored.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
            assertThat(queue.size()).isEqualTo(model.size());
            Set<Timer<Long, VoidNamespace>> fired = new HashSet<>();
            long previous = Long.MIN_VALUE;
            for (Timer<Long, VoidNamespace> timer; (timer = queue.poll()) != null; ) {
                assertThat(timer.timestamp()).isGreaterThanOrEqualTo(previous);
                previous = timer.timestamp();
                fired.add(timer);
            }
            assertThat(fired).isEqualTo(model);
            assertThat(queue.size()).isZero();
        }
    }

    /** One in {@code oneIn} times a registered timer (if any), else a random one, most likely not registered. */
    private static Timer<Long, VoidNamespace> pick(
            Random random, List<Timer<Long, VoidNamespace>> registered, int oneIn, long clock) {
        if (!registered.isEmpty() && random.nextInt(oneIn) == 0) {
            return registered.get(random.nextInt(registered.size()));
        }
        return new Timer<>((long) random.nextInt(500), VoidNamespace.INSTANCE, clock + random.nextInt(50_000));
    }

    private static long earliest(Set<Timer<Long, VoidNamespace>> timers) {
        return timers.stream().mapToLong(Timer::timestamp).min().orElseThrow();
    }

    @Test
    void timerColumnFamiliesGetASmallWriteBufferUnlessOneIsConfigured() throws Exception {
        try (RocksDBKeyedStateBackend<Long> backend = backend(new EmbeddedRocksDBStateBackend(true), List.of())) {
            backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
            backend.getState(new ValueStateDescriptor<>("values", Serializers.LONG));
            assertThat(writeBufferSize(backend, "timers")).isEqualTo(RocksDBOptionsAssembler.TIMER_WRITE_BUFFER_BYTES);
            assertThat(writeBufferSize(backend, "values")).isEqualTo(64L << 20); // RocksDB's default, untouched
        }
        EmbeddedRocksDBStateBackend configured = new EmbeddedRocksDBStateBackend(true)
                .configure(
                        new Configuration().set(RocksDBOptions.WRITE_BUFFER_SIZE, MemorySize.ofMebiBytes(32)),
                        getClass().getClassLoader());
        try (RocksDBKeyedStateBackend<Long> backend = backend(configured, List.of())) {
            backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
            assertThat(writeBufferSize(backend, "timers")).isEqualTo(32L << 20);
        }
    }

    private static long writeBufferSize(RocksDBKeyedStateBackend<Long> backend, String state) throws Exception {
        ColumnFamilyHandle handle = backend.registry().get(state).storage();
        return backend.db().getOptions(handle).writeBufferSize();
    }
}

package dev.cairn.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.changelog.internal.ChangelogKeyedStateBackend;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Periodic materialization and its failure budget ({@code state.changelog.max-failures-allowed}). */
class ChangelogMaterializationTest {
    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("v", Serializers.LONG);

    /** Change segments in memory, materializations fail while {@link #failing} is set. */
    private static final class FlakyStorage implements StateChangelogStorage {
        private final InMemoryStateChangelogStorage memory = new InMemoryStateChangelogStorage();
        volatile boolean failing;

        @Override
        public CompletableFuture<ChangelogStateBackendHandle.Segment> persist(byte[] changes, long from, long to) {
            return memory.persist(changes, from, to);
        }

        @Override
        public CheckpointStreamFactory materializationStreams() {
            return scope -> {
                if (failing) {
                    throw new IOException("materialization storage unavailable");
                }
                return memory.materializationStreams().createOutputStream(scope);
            };
        }

        @Override
        public void close() {}
    }

    /** A heap changelog backend over {@code storage}, no periodic materialization, one failure allowed. */
    private static ChangelogKeyedStateBackend<Long> oneFailureAllowed(FlakyStorage storage) {
        return (ChangelogKeyedStateBackend<Long>) new ChangelogStateBackend(
                        new HashMapStateBackend(),
                        storage,
                        new ChangelogStateBackend.Settings(false, Duration.ofMinutes(1), 1, 1 << 20))
                .createKeyedStateBackend(
                        KeyedBackendParameters.builder(Serializers.LONG).build());
    }

    /** Waits until the materialization running now (if any) has ended. */
    private static void awaitMaterialization(ChangelogKeyedStateBackend<Long> backend) throws Exception {
        backend.runningMaterialization().get(30, TimeUnit.SECONDS);
    }

    @Test
    void materializationRunsPeriodicallyAndACheckpointConfirmsIt() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        ChangelogStateBackend stateBackend = new ChangelogStateBackend(
                        new HashMapStateBackend(),
                        new InMemoryStateChangelogStorage(),
                        new ChangelogStateBackend.Settings(true, Duration.ofMinutes(10), 3, 1 << 20))
                .withClock(clock)
                .withMaterializationExecutor(Runnable::run); // materializations finish where they start
        try (ChangelogKeyedStateBackend<Long> backend =
                (ChangelogKeyedStateBackend<Long>) stateBackend.createKeyedStateBackend(
                        KeyedBackendParameters.builder(Serializers.LONG).build())) {
            ValueState<Long> state = backend.getState(descriptor);
            for (long key = 0; key < 2000; key++) {
                backend.setCurrentKey(key);
                state.update(key);
            }
            assertThat(backend.latestMaterializationId()).as("not due yet").isZero();
            now.addAndGet(Duration.ofMinutes(10).toMillis());
            for (long key = 0; key < 2000; key++) { // the due check runs every 1024 key changes
                backend.setCurrentKey(key);
                state.update(key);
            }
            assertThat(backend.latestMaterializationId())
                    .as("due once the clock passed the interval")
                    .isOne();
            assertThat(backend.runningMaterialization()).isDone();
            ChangelogStateBackendHandle handle = (ChangelogStateBackendHandle)
                    backend.snapshotNow(1, new MemoryCheckpointStreamFactory(), SnapshotOptions.checkpoint())
                            .getHandle();
            assertThat(handle.materializationId()).isEqualTo(backend.latestMaterializationId());
            assertThat(handle.materialized()).isNotEmpty();
            backend.notifyCheckpointComplete(1);
            assertThat(backend.confirmedMaterializationId()).isEqualTo(handle.materializationId());
        }
    }

    @Test
    void moreConsecutiveFailuresThanAllowedFailTheBackendAndNameTheKey() throws Exception {
        FlakyStorage storage = new FlakyStorage();
        storage.failing = true;
        try (ChangelogKeyedStateBackend<Long> backend = oneFailureAllowed(storage)) {
            ValueState<Long> state = backend.getState(descriptor);
            backend.setCurrentKey(1L);
            state.update(1L);
            assertThat(backend.materialize()).isTrue(); // failure 1 of 1 allowed
            awaitMaterialization(backend);
            backend.setCurrentKey(2L);
            state.update(2L);
            assertThat(backend.materialize()).isTrue(); // failure 2: one too many
            awaitMaterialization(backend);
            assertThatThrownBy(() -> backend.setCurrentKey(3L))
                    .isInstanceOf(StateBackendException.class)
                    .hasMessageContaining("failed 2 times in a row")
                    .hasMessageContaining("state.changelog.max-failures-allowed")
                    .hasMessageContaining("materialization storage unavailable");
        }
    }

    @Test
    void aFailureFollowedBySuccessResetsTheCount() throws Exception {
        FlakyStorage storage = new FlakyStorage();
        storage.failing = true;
        try (ChangelogKeyedStateBackend<Long> backend = oneFailureAllowed(storage)) {
            backend.getState(descriptor);
            backend.setCurrentKey(1L);
            backend.getState(descriptor).update(1L);
            backend.materialize();
            awaitMaterialization(backend);
            storage.failing = false;
            backend.materialize();
            awaitMaterialization(backend);
            assertThat(backend.latestMaterializationId()).isPositive();
            backend.setCurrentKey(2L);
            assertThat(backend.getState(descriptor).value()).isNull();
        }
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.OperatorStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Closing a backend cancels its in-flight snapshots: a snapshot whose asynchronous part has not completed ends as
 * cancelled — never as a completed snapshot of a closed backend, never as an I/O error the closing caused — and
 * leaves nothing in the storage.
 */
public abstract class SnapshotCancellationConformance extends StateBackendTestBase {
    private static final List<SnapshotOptions> KINDS =
            List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint());

    private static Path directory() {
        return Path.of("target", "cancellation", UUID.randomUUID().toString()).toAbsolutePath();
    }

    private CheckpointableKeyedStateBackend<String> backendWithState() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueStateDescriptor<Long> value = new ValueStateDescriptor<>("value", Serializers.LONG);
        ListStateDescriptor<String> list = new ListStateDescriptor<>("list", Serializers.STRING);
        var timers = backend.createTimerQueue("timers", Serializers.VOID_NAMESPACE);
        for (int i = 0; i < 2_000; i++) {
            backend.setCurrentKey("key" + i);
            backend.getState(value).update((long) i);
            backend.getState(list).add("element " + i);
            timers.add(new Timer<>("key" + i, dev.cairn.state.VoidNamespace.INSTANCE, i));
        }
        return backend;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void aSnapshotNotYetRunWhenTheBackendClosesEndsCancelledAndWritesNothing() throws Exception {
        for (SnapshotOptions kind : KINDS) {
            CheckpointableKeyedStateBackend<String> backend = backendWithState();
            DirectoryStreamFactory storage = DirectoryStreamFactory.in(directory());
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                    backend.snapshot(1L, System.currentTimeMillis(), storage, kind);
            backend.close();
            assertThat(snapshot.isCancelled()).as(kind + ": cancelled by close").isTrue();
            snapshot.run();
            assertThatThrownBy(snapshot::get).isInstanceOf(CancellationException.class);
            assertThat(storage.files()).as(kind + ": nothing in the storage").isEmpty();
        }
    }

    @Test
    void aSnapshotWritingWhenTheBackendClosesEndsCancelledAndLeavesNothing() throws Exception {
        // Own threads: the writer blocks at the gate while the close runs, so they must not share one pool thread
        // (the common pool may have a single worker on a small machine).
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            for (SnapshotOptions kind : KINDS) {
                closeWhileWriting(kind, threads);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private void closeWhileWriting(SnapshotOptions kind, ExecutorService threads) throws Exception {
        CheckpointableKeyedStateBackend<String> backend = backendWithState();
        DirectoryStreamFactory storage = DirectoryStreamFactory.gated(directory());
        RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                backend.snapshot(1L, System.currentTimeMillis(), storage, kind);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(snapshot, threads);
        await(
                () -> snapshot.isDone() || storage.awaitWriterAtGateNow(),
                kind + ": the writer reached the storage or finished");
        if (snapshot.isDone()) {
            // This backend's snapshot of this kind writes nothing to the checkpoint storage (a changelog
            // checkpoint: its changes are in the changelog storage); it completed before the close.
            assertThat(snapshot.get().getHandle()).isNotNull();
            backend.close();
            return;
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(backend::close, threads);
        await(snapshot::isCancelled, kind + ": close cancelled the snapshot");
        storage.open();
        closing.get(30, TimeUnit.SECONDS);
        writer.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(snapshot::get).isInstanceOf(CancellationException.class);
        await(
                () -> {
                    try {
                        return storage.files().isEmpty();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                kind + ": everything written was deleted");
    }

    @Test
    void closingTheOperatorStateBackendCancelsItsSnapshots() throws Exception {
        OperatorStateBackend backend =
                stateBackend.createOperatorStateBackend(OperatorBackendParameters.of("operator"));
        backend.getListState(new ListStateDescriptor<>("offsets", Serializers.LONG))
                .add(42L);
        DirectoryStreamFactory storage = DirectoryStreamFactory.in(directory());
        RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot =
                backend.snapshot(1L, System.currentTimeMillis(), storage, SnapshotOptions.checkpoint());
        backend.close();
        snapshot.run();
        assertThatThrownBy(snapshot::get).isInstanceOf(CancellationException.class);
        assertThat(storage.files()).isEmpty();
    }

    @Test
    void snapshotsThatCompletedBeforeTheCloseStayValid() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = backendWithState();
        KeyedStateHandle handle = snapshot(backend);
        backend.close();
        CheckpointableKeyedStateBackend<String> restored = restoreBackend(handles(handle));
        restored.setCurrentKey("key7");
        assertThat(restored.getState(new ValueStateDescriptor<>("value", Serializers.LONG))
                        .value())
                .isEqualTo(7L);
    }
}

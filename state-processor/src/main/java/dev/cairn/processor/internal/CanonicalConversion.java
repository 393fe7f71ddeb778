package dev.cairn.processor.internal;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.SnapshotResult;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateInputStream;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;

/**
 * Turns any keyed-state handle into the canonical format, and copies operator state, into a savepoint's stream
 * factory.
 *
 * <p><b>Design.</b> A handle is restored, as it is, into an embedded RocksDB backend working in a temporary
 * directory (native checkpoints restore only into RocksDB; the changelog handle through the changelog backend's
 * {@link ChangelogStateBackend#deactivated deactivated} form, materialized part plus replay), with the key
 * serializer and max parallelism the handle records; then the backend writes a savepoint. Restored states that
 * nobody registers are snapshotted with their restored serializers, so every state, timer queue and TTL timestamp
 * is carried over and no application class is needed beyond those its serializers name. Memory stays bounded by
 * RocksDB's: the state lives on disk while it is converted.
 */
public final class CanonicalConversion {
    private final Path workingDirectory;
    private final ClassLoader classLoader;

    /**
     * A conversion working in a directory.
     *
     * @param workingDirectory where the RocksDB instances live while they convert
     * @param classLoader loads the serializers the handles name
     */
    public CanonicalConversion(Path workingDirectory, ClassLoader classLoader) {
        this.workingDirectory = workingDirectory;
        this.classLoader = classLoader;
    }

    /**
     * Writes the state of {@code handle} in the canonical format.
     *
     * @param operatorId the operator, for messages and the restored backend's name
     * @param handle one instance's keyed state
     * @param target where the canonical stream goes
     * @param savepointId the id written into the snapshot
     * @return the canonical handle, or empty when the handle holds no state
     * @throws IOException when reading or writing fails
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Optional<KeyGroupsStateHandle> toCanonical(
            String operatorId, KeyedStateHandle handle, CheckpointStreamFactory target, long savepointId)
            throws IOException {
        Optional<HandleKeys> keys = HandleKeys.of(handle, classLoader);
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        StateBackend inner;
        if (holdsHeapChains(handle)) {
            // Incremental heap checkpoints restore only into the heap backend: one instance's state in memory, as
            // it was in the job that wrote it.
            inner = new HashMapStateBackend();
        } else {
            EmbeddedRocksDBStateBackend rocksdb = new EmbeddedRocksDBStateBackend(false);
            rocksdb.setDbStoragePaths(workingDirectory.toString());
            inner = rocksdb;
        }
        StateBackend backendFactory =
                handle instanceof ChangelogStateBackendHandle ? ChangelogStateBackend.deactivated(inner) : inner;
        KeyedBackendParameters<Object> parameters = KeyedBackendParameters.builder(
                        (TypeSerializer<Object>) keys.get().keySerializer().restoreSerializer())
                .operatorIdentifier(operatorId)
                .numberOfKeyGroups(keys.get().numberOfKeyGroups())
                .keyGroupRange(handle.getKeyGroupRange())
                .restoreFrom(java.util.List.of(handle))
                .classLoader(classLoader)
                .build();
        CheckpointableKeyedStateBackend<Object> backend = backendFactory.createKeyedStateBackend(parameters);
        try {
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot =
                    backend.snapshot(savepointId, System.currentTimeMillis(), target, SnapshotOptions.savepoint());
            snapshot.run();
            KeyedStateHandle written = snapshot.get().getHandle();
            if (written == null) {
                return Optional.empty();
            }
            if (!(written instanceof KeyGroupsStateHandle canonical)) {
                throw new IllegalStateException("A savepoint of operator '" + operatorId + "' was not canonical: "
                        + written.getClass().getName());
            }
            return Optional.of(canonical);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while converting operator '" + operatorId + "'", e);
        } catch (ExecutionException | RuntimeException e) {
            throw failure(operatorId, e instanceof ExecutionException ? e.getCause() : e);
        } catch (Exception e) {
            throw failure(operatorId, e);
        } finally {
            backend.close();
        }
    }

    private static boolean holdsHeapChains(KeyedStateHandle handle) {
        if (handle instanceof ChangelogStateBackendHandle changelog) {
            return changelog.materialized().stream().anyMatch(IncrementalHeapStateHandle.class::isInstance);
        }
        return handle instanceof IncrementalHeapStateHandle;
    }

    private static IOException failure(String operatorId, Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        return new IOException("Converting operator '" + operatorId + "' failed: " + cause.getMessage(), cause);
    }

    /**
     * Copies a stream byte for byte into {@code target}: a savepoint references no file of its source. Offsets
     * recorded for the stream (key groups, operator states) stay valid in the copy.
     *
     * @param stream the stream to copy
     * @param target where the copy goes
     * @return the copy's handle
     * @throws IOException when reading or writing fails
     */
    public static StreamStateHandle copy(StreamStateHandle stream, CheckpointStreamFactory target) throws IOException {
        try (StateInputStream in = stream.openInputStream();
                CheckpointStateOutputStream out = target.createOutputStream(StateScope.EXCLUSIVE)) {
            in.transferTo(out);
            return out.closeAndGetHandle();
        }
    }
}

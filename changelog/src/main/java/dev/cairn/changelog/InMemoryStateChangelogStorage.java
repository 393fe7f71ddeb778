package dev.cairn.changelog;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps change segments and materializations in memory ({@code state.changelog.storage: memory}): for tests and
 * for checkpoints held by the {@code jobmanager} storage; everything is gone with the process.
 */
public final class InMemoryStateChangelogStorage implements StateChangelogStorage {
    private final MemoryCheckpointStreamFactory materializations = new MemoryCheckpointStreamFactory();

    @Override
    public CompletableFuture<Segment> persist(byte[] changes, long fromSequence, long toSequence) {
        ByteStreamStateHandle stream =
                new ByteStreamStateHandle("changes " + fromSequence + ".." + toSequence, changes.clone());
        return CompletableFuture.completedFuture(new Segment(stream, 0, changes.length, fromSequence, toSequence));
    }

    @Override
    public CheckpointStreamFactory materializationStreams() {
        return materializations;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
        return "InMemoryStateChangelogStorage";
    }
}

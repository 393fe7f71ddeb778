package dev.cairn.state.spi;

import java.io.IOException;

/** Where a snapshot writes its bytes: checkpoint storage hands one to every backend it snapshots. */
public interface CheckpointStreamFactory {
    /**
     * Opens a new stream; closing it with {@link CheckpointStateOutputStream#closeAndGetHandle()} yields its handle.
     *
     * @param scope who owns the bytes: this checkpoint alone, several checkpoints, or the changelog
     * @return the stream
     * @throws IOException if the storage cannot create it
     */
    CheckpointStateOutputStream createOutputStream(StateScope scope) throws IOException;
}

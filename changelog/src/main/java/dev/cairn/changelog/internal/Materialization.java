package dev.cairn.changelog.internal;

import dev.cairn.state.spi.KeyedStateHandle;
import java.util.List;

/** A snapshot of the wrapped backend and the sequence number its changes end at. */
final class Materialization {
    final long id;
    final long sequence;
    final List<KeyedStateHandle> handles;
    final long size;
    /** Whether a completed checkpoint includes it (guarded by the {@link MaterializationManager}). */
    boolean confirmed;
    /** Whether a checkpoint counted its size already (guarded by the {@link MaterializationManager}). */
    boolean includedBefore;

    Materialization(long id, long sequence, List<KeyedStateHandle> handles) {
        this.id = id;
        this.sequence = sequence;
        this.handles = handles;
        this.size = handles.stream().mapToLong(KeyedStateHandle::getStateSize).sum();
    }
}

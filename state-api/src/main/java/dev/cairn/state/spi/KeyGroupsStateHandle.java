package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.io.IOException;
import java.util.Objects;

/**
 * A snapshot in the canonical format: one stream holding a header and one section per key group, with the
 * offset of every section. Restoring a sub-range reads only the sections it needs.
 */
public final class KeyGroupsStateHandle implements KeyedStateHandle {
    private final KeyGroupRangeOffsets offsets;
    private final StreamStateHandle stream;

    public KeyGroupsStateHandle(KeyGroupRangeOffsets offsets, StreamStateHandle stream) {
        this.offsets = Objects.requireNonNull(offsets);
        this.stream = Objects.requireNonNull(stream);
    }

    public KeyGroupRangeOffsets getOffsets() {
        return offsets;
    }

    /** The stream holding the header (at offset 0) and the key-group sections. */
    public StreamStateHandle getStream() {
        return stream;
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return offsets.getKeyGroupRange();
    }

    @Override
    public KeyedStateHandle getIntersection(KeyGroupRange range) {
        KeyGroupRangeOffsets sub = offsets.getIntersection(range);
        return sub.getKeyGroupRange().isEmpty() ? null : new KeyGroupsStateHandle(sub, stream);
    }

    @Override
    public long getStateSize() {
        return stream.getStateSize();
    }

    @Override
    public java.util.List<StreamStateHandle> getStreams() {
        return java.util.List.of(stream);
    }

    @Override
    public void discardState() throws IOException {
        stream.discardState();
    }

    @Override
    public String toString() {
        return "KeyGroupsStateHandle{" + getKeyGroupRange() + ", " + stream.describe() + "}";
    }
}

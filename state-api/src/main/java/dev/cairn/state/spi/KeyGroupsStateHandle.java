package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.io.IOException;
import java.util.Objects;

/**
 * A snapshot in the canonical format: one stream holding a header and one section per key group, with the
 * offset of every section. Restoring a sub-range reads only the sections it needs.
 *
 * <p>A snapshot written before Cairn assigned key groups with Flink's hash ({@link #isLegacyKeyGroupHash()},
 * canonical format version 1) is partitioned by the old hash: any key group of it may hold keys of any key group
 * of a restoring backend, so {@link #getIntersection} returns it whole and restores re-partition it key by key.
 */
public final class KeyGroupsStateHandle implements KeyedStateHandle {
    private final KeyGroupRangeOffsets offsets;
    private final StreamStateHandle stream;
    private final boolean legacyKeyGroupHash;

    /**
     * A handle of a snapshot partitioned with Flink's key-group hash.
     *
     * @param offsets where each key group's section starts
     * @param stream the stream holding the header and the sections
     */
    public KeyGroupsStateHandle(KeyGroupRangeOffsets offsets, StreamStateHandle stream) {
        this(offsets, stream, false);
    }

    /**
     * A handle of a snapshot partitioned with Flink's or Cairn's earlier key-group hash.
     *
     * @param offsets where each key group's section starts
     * @param stream the stream holding the header and the sections
     * @param legacyKeyGroupHash whether the snapshot's key groups come from Cairn's hash before version 2 of the
     *     canonical format (metadata written then does not say which hash it used)
     */
    public KeyGroupsStateHandle(KeyGroupRangeOffsets offsets, StreamStateHandle stream, boolean legacyKeyGroupHash) {
        this.offsets = Objects.requireNonNull(offsets);
        this.stream = Objects.requireNonNull(stream);
        this.legacyKeyGroupHash = legacyKeyGroupHash;
    }

    /**
     * Whether the snapshot is partitioned by Cairn's earlier key-group hash (see the class comment).
     *
     * @return whether it is
     */
    public boolean isLegacyKeyGroupHash() {
        return legacyKeyGroupHash;
    }

    /**
     * Where each key group's section starts.
     *
     * @return the offsets
     */
    public KeyGroupRangeOffsets getOffsets() {
        return offsets;
    }

    /**
     * The stream holding the header (at offset 0) and the key-group sections.
     *
     * @return the stream
     */
    public StreamStateHandle getStream() {
        return stream;
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return offsets.getKeyGroupRange();
    }

    @Override
    public KeyedStateHandle getIntersection(KeyGroupRange range) {
        if (legacyKeyGroupHash) {
            return this; // keys of any restored key group may be in any of this snapshot's key groups
        }
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
        return "KeyGroupsStateHandle{" + getKeyGroupRange() + ", " + stream.describe()
                + (legacyKeyGroupHash ? ", legacy key-group hash" : "") + "}";
    }
}

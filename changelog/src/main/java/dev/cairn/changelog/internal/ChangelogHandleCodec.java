package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.HandleMetadataReader;
import dev.cairn.state.spi.HandleMetadataWriter;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;
import java.util.List;

/**
 * Changelog snapshots in {@code _metadata}: type {@code changelog}, the materialized part as nested handles of any
 * type, the change segments with their streams ({@code docs/format.md}).
 */
public final class ChangelogHandleCodec implements KeyedStateHandleCodec {
    @Override
    public String typeTag() {
        return "changelog";
    }

    @Override
    public Class<? extends KeyedStateHandle> handleType() {
        return ChangelogStateBackendHandle.class;
    }

    @Override
    public void write(KeyedStateHandle handle, HandleMetadataWriter out) {
        ChangelogStateBackendHandle changelog = (ChangelogStateBackendHandle) handle;
        out.putKeyGroupHash(changelog.legacyKeyGroupHash());
        out.putKeyGroupRange(changelog.keyGroupRange());
        out.putLong("materializationId", changelog.materializationId());
        out.putLong("checkpointedSize", changelog.checkpointedSize());
        out.putKeyedList("materialized", changelog.materialized());
        out.putArray("changes", changelog.changes(), ChangelogHandleCodec::writeSegment);
    }

    private static void writeSegment(Segment segment, HandleMetadataWriter out) {
        out.putLong("offset", segment.offset());
        out.putLong("length", segment.length());
        out.putLong("fromSequence", segment.fromSequence());
        out.putLong("toSequence", segment.toSequence());
        out.putStream("stream", segment.stream());
    }

    @Override
    public KeyedStateHandle read(HandleMetadataReader in) {
        KeyGroupRange range = in.getKeyGroupRange();
        List<KeyedStateHandle> materialized = in.getKeyedList("materialized");
        for (KeyedStateHandle handle : materialized) {
            boolean inside = range.intersection(handle.getKeyGroupRange()).equals(handle.getKeyGroupRange());
            // Legacy-hash parts were re-partitioned on restore and may cover more than the handle's range.
            boolean legacy = handle instanceof KeyGroupsStateHandle keyGroups && keyGroups.isLegacyKeyGroupHash();
            if (!inside && !legacy) {
                throw in.corrupt("a changelog handle covers " + range + " but its materialized part "
                        + handle.getKeyGroupRange());
            }
        }
        List<Segment> changes = in.getArray(
                "changes",
                entry -> new Segment(
                        entry.getStream("stream"),
                        entry.getLong("offset"),
                        entry.getLong("length"),
                        entry.getLong("fromSequence"),
                        entry.getLong("toSequence")));
        return new ChangelogStateBackendHandle(
                range,
                materialized,
                in.getLong("materializationId"),
                changes,
                in.getLong("checkpointedSize"),
                in.legacyKeyGroupHash());
    }
}

package dev.cairn.checkpoint.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StreamStateHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks of checkpoint metadata that is well-formed JSON but cannot have been written by Cairn: such metadata is
 * damaged or was edited, and restoring it could silently return other state than was checkpointed.
 */
final class MetadataValidation {
    /** Magic number and version precede a canonical stream's first section. */
    private static final long FIRST_SECTION_OFFSET = 12;

    private MetadataValidation() {}

    /**
     * Key-group sections follow each other in the stream: offsets strictly increase (every section has at least its
     * end marker), start after the stream's header fields and stay inside the stream.
     */
    static void checkOffsets(long[] offsets, StreamStateHandle stream, KeyGroupRange range, String source) {
        long size = stream.getStateSize();
        long previous = FIRST_SECTION_OFFSET - 1;
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] <= previous || offsets[i] >= size) {
                throw new CorruptCheckpointException("Key group " + (range.getStartKeyGroup() + i) + " of "
                        + stream.describe() + " in " + source + " is recorded at offset " + offsets[i]
                        + ", which does not follow the previous section (" + previous + ") inside the stream ("
                        + size + " bytes): the offsets were changed or damaged");
            }
            previous = offsets[i];
        }
    }

    /** The keyed handles of one operator come from instances with disjoint key-group ranges. */
    static void checkDisjoint(String operatorId, List<KeyedStateHandle> handles, String source) {
        List<KeyGroupRange> ranges = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            ranges.add(handle.getKeyGroupRange());
        }
        ranges.sort(Comparator.comparingInt(KeyGroupRange::getStartKeyGroup));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).getStartKeyGroup() <= ranges.get(i - 1).getEndKeyGroup()) {
                throw new CorruptCheckpointException("Operator '" + operatorId + "' in " + source + " has handles for "
                        + ranges.get(i - 1) + " and " + ranges.get(i) + ", which overlap");
            }
        }
    }
}

package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.util.Arrays;

/** The byte offset of every key group's section in a canonical snapshot stream. */
public final class KeyGroupRangeOffsets {
    private final KeyGroupRange keyGroupRange;
    private final long[] offsets;

    /**
     * Offsets for {@code keyGroupRange}, in key-group order; the array is copied.
     *
     * @param keyGroupRange the key groups
     * @param offsets one offset per key group of the range
     */
    public KeyGroupRangeOffsets(KeyGroupRange keyGroupRange, long[] offsets) {
        if (offsets.length != keyGroupRange.getNumberOfKeyGroups()) {
            throw new IllegalArgumentException("Need " + keyGroupRange.getNumberOfKeyGroups() + " offsets for "
                    + keyGroupRange + ", got " + offsets.length);
        }
        this.keyGroupRange = keyGroupRange;
        this.offsets = offsets.clone();
    }

    /**
     * The key groups the offsets are for.
     *
     * @return the range
     */
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    /**
     * The offset of {@code keyGroup}'s section.
     *
     * @param keyGroup a key group of the range
     * @return its section's offset in the stream
     */
    public long getOffset(int keyGroup) {
        if (!keyGroupRange.contains(keyGroup)) {
            throw new IllegalArgumentException("Key group " + keyGroup + " is not in " + keyGroupRange);
        }
        return offsets[keyGroup - keyGroupRange.getStartKeyGroup()];
    }

    /**
     * The offsets of the key groups in both this range and {@code range}.
     *
     * @param range another range
     * @return the offsets of the intersection (empty if they do not overlap)
     */
    public KeyGroupRangeOffsets getIntersection(KeyGroupRange range) {
        KeyGroupRange intersection = keyGroupRange.intersection(range);
        long[] sub = new long[intersection.getNumberOfKeyGroups()];
        for (int i = 0; i < sub.length; i++) {
            sub[i] = getOffset(intersection.getStartKeyGroup() + i);
        }
        return new KeyGroupRangeOffsets(intersection, sub);
    }

    /**
     * A copy of the offsets in key-group order.
     *
     * @return the offsets
     */
    public long[] toArray() {
        return offsets.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyGroupRangeOffsets
                && ((KeyGroupRangeOffsets) o).keyGroupRange.equals(keyGroupRange)
                && Arrays.equals(((KeyGroupRangeOffsets) o).offsets, offsets);
    }

    @Override
    public int hashCode() {
        return keyGroupRange.hashCode() * 31 + Arrays.hashCode(offsets);
    }
}

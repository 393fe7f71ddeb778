package dev.cairn.state;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A contiguous, inclusive range of key groups {@code [startKeyGroup, endKeyGroup]}; the unit by which keyed
 * state is owned by an instance, snapshotted and redistributed on rescaling.
 */
public final class KeyGroupRange implements Iterable<Integer> {
    /** The range that contains no key group. */
    public static final KeyGroupRange EMPTY = new KeyGroupRange(0, -1);

    private final int startKeyGroup;
    private final int endKeyGroup;

    private KeyGroupRange(int startKeyGroup, int endKeyGroup) {
        this.startKeyGroup = startKeyGroup;
        this.endKeyGroup = endKeyGroup;
    }

    /**
     * {@return the range {@code [start, end]}; {@code end == start - 1} gives the empty range}
     *
     * @param startKeyGroup the first key group
     * @param endKeyGroup the last key group (inclusive)
     */
    public static KeyGroupRange of(int startKeyGroup, int endKeyGroup) {
        if (startKeyGroup < 0 || endKeyGroup < startKeyGroup - 1) {
            throw new IllegalArgumentException(
                    "Invalid key-group range [" + startKeyGroup + ", " + endKeyGroup + "]: need 0 <= start <= end + 1");
        }
        return endKeyGroup < startKeyGroup ? EMPTY : new KeyGroupRange(startKeyGroup, endKeyGroup);
    }

    /** {@return the first key group of the range} */
    public int getStartKeyGroup() {
        return startKeyGroup;
    }

    /** {@return the last key group, inclusive} */
    public int getEndKeyGroup() {
        return endKeyGroup;
    }

    /** {@return the number of key groups in the range (0 when empty)} */
    public int getNumberOfKeyGroups() {
        return endKeyGroup - startKeyGroup + 1;
    }

    /** {@return whether the range holds no key group} */
    public boolean isEmpty() {
        return getNumberOfKeyGroups() == 0;
    }

    /**
     * Whether a key group is in the range.
     *
     * @param keyGroup a key group
     * @return whether it is between the first and last key group
     */
    public boolean contains(int keyGroup) {
        return keyGroup >= startKeyGroup && keyGroup <= endKeyGroup;
    }

    /**
     * {@return the key groups in both ranges (possibly {@link #EMPTY})}
     *
     * @param other another range
     */
    public KeyGroupRange intersection(KeyGroupRange other) {
        int start = Math.max(startKeyGroup, other.startKeyGroup);
        int end = Math.min(endKeyGroup, other.endKeyGroup);
        return start <= end ? new KeyGroupRange(start, end) : EMPTY;
    }

    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int next = startKeyGroup;

            @Override
            public boolean hasNext() {
                return next <= endKeyGroup;
            }

            @Override
            public Integer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return next++;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyGroupRange
                && ((KeyGroupRange) o).startKeyGroup == startKeyGroup
                && ((KeyGroupRange) o).endKeyGroup == endKeyGroup;
    }

    @Override
    public int hashCode() {
        return 31 * startKeyGroup + endKeyGroup;
    }

    @Override
    public String toString() {
        return isEmpty() ? "KeyGroupRange{}" : "KeyGroupRange{" + startKeyGroup + ".." + endKeyGroup + "}";
    }
}

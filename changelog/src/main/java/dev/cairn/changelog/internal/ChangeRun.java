package dev.cairn.changelog.internal;

import java.util.Arrays;
import java.util.List;

/**
 * Changes collected for replay — of one segment or of several, up to a bound the replay sets — as positions in the
 * segments' bytes (nothing is decoded or copied), and the order to apply them in: as recorded, or — when the backend
 * prefers it — grouped by state and in key order (key group, then the key and namespace fields bytewise, which is
 * RocksDB's key order), stable so that the changes of one entry keep their recorded order. Reordering is sound
 * because changes of different entries are independent; the replay applies a run before any change that reads other
 * entries. Sorting the changes of several segments together is what lets a RocksDB memtable take them as one
 * ascending sequence (each insert next to the previous one) and lets an entry changed in several segments be
 * written once.
 *
 * @param <T> what a change's state is described by
 */
final class ChangeRun<T> {
    private final boolean keyOrder;
    private List<T> targets = List.of();
    /** The segments the changes are in: the bytes of each one's file, and how errors name it. */
    private byte[][] segmentFiles = new byte[4][];

    private String[] segmentSources = new String[4];
    private int segments;
    /** The bytes of the distinct files the segments are in (consecutive segments usually share one). */
    private long heldFileBytes;

    private int size;
    /** The segment each change is in. */
    private int[] segment = new int[1024];
    /** The state's index (high half) and the key group in one number: what the order compares first. */
    private long[] group = new long[1024];
    /**
     * The first eight bytes of the key and namespace fields (zeros past their end), unsigned: most comparisons of
     * the order end here, without reading the segment's bytes.
     */
    private long[] prefix = new long[1024];
    /**
     * Where the change's key field starts (high half; its namespace field follows, then its payload) and the length
     * of the key and namespace fields together (low half: what the key order compares).
     */
    private long[] location = new long[1024];

    private byte[] op = new byte[1024];
    /** Work arrays of the sort: an index permutation and its merge buffer. */
    private int[] order = new int[1024];

    private int[] scratch = new int[1024];

    ChangeRun(boolean keyOrder) {
        this.keyOrder = keyOrder;
    }

    /** The states changes refer to by index; the list may grow while changes are collected. */
    void useTargets(List<T> targets) {
        this.targets = targets;
    }

    /** Changes added from now on are in this segment, whose file's bytes are {@code file}. */
    void addSegment(byte[] file, String source) {
        if (segments == segmentFiles.length) {
            segmentFiles = Arrays.copyOf(segmentFiles, segments * 2);
            segmentSources = Arrays.copyOf(segmentSources, segments * 2);
        }
        if (segments == 0 || segmentFiles[segments - 1] != file) {
            heldFileBytes += file.length;
        }
        segmentFiles[segments] = file;
        segmentSources[segments] = source;
        segments++;
    }

    /** {@return the bytes of the files of the segments the run holds} */
    long heldFileBytes() {
        return heldFileBytes;
    }

    /** Lets go of the segments; only when no change is collected. */
    void forgetSegments() {
        if (size > 0) {
            throw new IllegalStateException("The run still holds " + size + " changes of its segments");
        }
        Arrays.fill(segmentFiles, 0, segments, null);
        Arrays.fill(segmentSources, 0, segments, null);
        segments = 0;
        heldFileBytes = 0;
    }

    boolean keyOrder() {
        return keyOrder;
    }

    /** Adds a change of the segment added last. */
    void add(int targetIndex, int changeKeyGroup, byte changeOp, int fieldsOffset, int keyAndNamespaceLength) {
        if (size == group.length) {
            int capacity = size * 2;
            segment = Arrays.copyOf(segment, capacity);
            group = Arrays.copyOf(group, capacity);
            prefix = Arrays.copyOf(prefix, capacity);
            location = Arrays.copyOf(location, capacity);
            op = Arrays.copyOf(op, capacity);
            order = new int[capacity];
            scratch = new int[capacity];
        }
        int current = segments - 1;
        segment[size] = current;
        group[size] = ((long) targetIndex << 32) | changeKeyGroup;
        prefix[size] = prefix(segmentFiles[current], fieldsOffset, keyAndNamespaceLength);
        location[size] = ((long) fieldsOffset << 32) | (keyAndNamespaceLength & 0xFFFF_FFFFL);
        op[size] = changeOp;
        size++;
    }

    int size() {
        return size;
    }

    /** Forgets the changes (not their segments: see {@link #forgetSegments}). */
    void clear() {
        size = 0;
    }

    /** {@return the bytes of the file change {@code change} is in} */
    byte[] file(int change) {
        return segmentFiles[segment[change]];
    }

    /** {@return how errors name the segment of change {@code change}} */
    String source(int change) {
        return segmentSources[segment[change]];
    }

    /**
     * Puts the collected changes in the order to apply them: as recorded, or in key order for a run that asks for
     * it. Positions {@code 0 .. size() - 1} of {@link #target}, {@link #op}, {@link #fields} and {@link #sameEntry}
     * are then the changes in that order — the arrays themselves are sorted, so applying the run reads them
     * sequentially instead of missing the CPU caches at every change through an index (a change's own bytes in the
     * segment are the only random access left).
     */
    void sort() {
        if (keyOrder && size > 1) {
            sortByKey();
        }
    }

    T target(int change) {
        return targets.get((int) (group[change] >>> 32));
    }

    byte op(int change) {
        return op[change];
    }

    int fields(int change) {
        return (int) (location[change] >>> 32);
    }

    private int fieldsLength(int change) {
        return (int) location[change];
    }

    /**
     * Sorts the changes by state and key group ({@link #group}), then by the key and namespace bytes: a radix sort
     * on the group and the eight-byte {@link #prefix} that moves every array along (stable, linear, sequential
     * reads — a comparison sort of a million changes spent most of the replay's Java time on cache misses), then a
     * merge sort of each run of equal prefixes on the whole bytes (runs are short unless many keys share their
     * first bytes).
     */
    private void sortByKey() {
        if (size < 64) {
            sortRange(0, size); // a few changes (a run cut short by a merge of namespaces): no digit passes
            return;
        }
        int capacity = group.length;
        long[] groupsOut = new long[capacity];
        long[] prefixesOut = new long[capacity];
        long[] locationsOut = new long[capacity];
        byte[] opsOut = new byte[capacity];
        int[] segmentsOut = new int[capacity];
        int[] counts = new int[257];
        // Least significant digit first: the prefix's bytes, then the group's.
        for (int pass = 0; pass < 16; pass++) {
            boolean ofPrefix = pass < 8;
            int shift = 8 * (pass % 8);
            long[] digits = ofPrefix ? prefix : group;
            Arrays.fill(counts, 0);
            for (int i = 0; i < size; i++) {
                counts[(int) (digits[i] >>> shift) & 0xFF]++;
            }
            if (counts[(int) (digits[0] >>> shift) & 0xFF] == size) {
                continue; // every change has this digit: nothing moves
            }
            for (int digit = 0, start = 0; digit < 256; digit++) {
                int count = counts[digit];
                counts[digit] = start;
                start += count;
            }
            for (int i = 0; i < size; i++) {
                int to = counts[(int) (digits[i] >>> shift) & 0xFF]++;
                groupsOut[to] = group[i];
                prefixesOut[to] = prefix[i];
                locationsOut[to] = location[i];
                opsOut[to] = op[i];
                segmentsOut[to] = segment[i];
            }
            long[] swapGroups = group;
            group = groupsOut;
            groupsOut = swapGroups;
            long[] swapPrefixes = prefix;
            prefix = prefixesOut;
            prefixesOut = swapPrefixes;
            long[] swapLocations = location;
            location = locationsOut;
            locationsOut = swapLocations;
            byte[] swapOps = op;
            op = opsOut;
            opsOut = swapOps;
            int[] swapSegments = segment;
            segment = segmentsOut;
            segmentsOut = swapSegments;
        }
        for (int from = 0; from < size; ) {
            int to = from + 1;
            while (to < size && group[to] == group[from] && prefix[to] == prefix[from]) {
                to++;
            }
            if (to - from > 1) {
                sortTies(from, to);
            }
            from = to;
        }
    }

    /**
     * Sorts changes {@code [from, to)} of equal state, key group and prefix on their whole bytes. Such runs are
     * mostly a few changes (keys that differ past their first eight bytes, changes of one entry): a stable insertion
     * sort in place, moving only what differs in the run — the segment, location and op; longer runs go to {@link
     * #sortRange}.
     */
    private void sortTies(int from, int to) {
        if (to - from > 16) {
            sortRange(from, to);
            return;
        }
        for (int i = from + 1; i < to; i++) {
            long moving = location[i];
            byte movingOp = op[i];
            int movingSegment = segment[i];
            int j = i - 1;
            while (j >= from && compareBytes(segment[j], location[j], movingSegment, moving) > 0) {
                location[j + 1] = location[j];
                op[j + 1] = op[j];
                segment[j + 1] = segment[j];
                j--;
            }
            location[j + 1] = moving;
            op[j + 1] = movingOp;
            segment[j + 1] = movingSegment;
        }
    }

    /** Sorts changes {@code [from, to)} by a stable merge sort of their indices, then moves them into that order. */
    private void sortRange(int from, int to) {
        for (int i = from; i < to; i++) {
            order[i] = i;
        }
        mergeSort(from, to);
        int length = to - from;
        long[] groups = new long[length];
        long[] prefixes = new long[length];
        long[] locations = new long[length];
        byte[] ops = new byte[length];
        int[] segments = new int[length];
        for (int i = 0; i < length; i++) {
            int change = order[from + i];
            groups[i] = group[change];
            prefixes[i] = prefix[change];
            locations[i] = location[change];
            ops[i] = op[change];
            segments[i] = segment[change];
        }
        System.arraycopy(groups, 0, group, from, length);
        System.arraycopy(prefixes, 0, prefix, from, length);
        System.arraycopy(locations, 0, location, from, length);
        System.arraycopy(ops, 0, op, from, length);
        System.arraycopy(segments, 0, segment, from, length);
    }

    /** A stable top-down merge sort of {@code order[from, to)} on the whole key, using {@code scratch}. */
    private void mergeSort(int from, int to) {
        if (to - from < 2) {
            return;
        }
        int middle = (from + to) >>> 1;
        mergeSort(from, middle);
        mergeSort(middle, to);
        if (compare(order[middle - 1], order[middle]) <= 0) {
            return; // already in order: runs of recorded order cost one comparison
        }
        System.arraycopy(order, from, scratch, from, to - from);
        int left = from;
        int right = middle;
        for (int i = from; i < to; i++) {
            if (right >= to || (left < middle && compare(scratch[left], scratch[right]) <= 0)) {
                order[i] = scratch[left++];
            } else {
                order[i] = scratch[right++];
            }
        }
    }

    /** Whether two changes are of the same entry: the same state, key group, key and namespace. */
    boolean sameEntry(int a, int b) {
        return group[a] == group[b]
                && prefix[a] == prefix[b]
                && compareBytes(segment[a], location[a], segment[b], location[b]) == 0;
    }

    private static long prefix(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (i < length ? bytes[offset + i] & 0xFF : 0);
        }
        return value;
    }

    private int compare(int a, int b) {
        if (group[a] != group[b]) {
            return Long.compare(group[a], group[b]);
        }
        if (prefix[a] != prefix[b]) {
            return Long.compareUnsigned(prefix[a], prefix[b]);
        }
        return compareBytes(segment[a], location[a], segment[b], location[b]);
    }

    /**
     * Compares the key and namespace bytes at two {@link #location}s in two segments, unsigned, as RocksDB orders
     * keys.
     */
    private int compareBytes(int segmentA, long a, int segmentB, long b) {
        int fromA = (int) (a >>> 32);
        int fromB = (int) (b >>> 32);
        return Arrays.compareUnsigned(
                segmentFiles[segmentA], fromA, fromA + (int) a, segmentFiles[segmentB], fromB, fromB + (int) b);
    }
}

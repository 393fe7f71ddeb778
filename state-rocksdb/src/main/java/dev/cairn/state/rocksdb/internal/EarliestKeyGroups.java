package dev.cairn.state.rocksdb.internal;

import java.util.Arrays;

/**
 * The key groups of a timer queue ordered by their earliest timer: a binary heap of key group indexes that knows
 * where each index sits, so a key group whose earliest timer changed moves up or down in place — a poll costs a
 * sift, not a removal and an insertion into a sorted set with a new entry object. Ties go to the lower index, which
 * is the lower key group.
 */
final class EarliestKeyGroups {
    private final int[] heap;
    /** Where each index sits in {@link #heap}, or -1. */
    private final int[] positions;

    private final long[] timestamps;
    private int size;

    EarliestKeyGroups(int keyGroups) {
        heap = new int[keyGroups];
        positions = new int[keyGroups];
        Arrays.fill(positions, -1);
        timestamps = new long[keyGroups];
    }

    /** The index of the key group with the earliest timer, or -1 if no key group has one. */
    int first() {
        return size == 0 ? -1 : heap[0];
    }

    /** Sets the earliest timer of key group {@code index}, adding it if it had none. */
    void update(int index, long timestamp) {
        timestamps[index] = timestamp;
        int position = positions[index];
        if (position < 0) {
            position = size++;
            place(index, position);
        }
        siftDown(siftUp(position));
    }

    /** Key group {@code index} has no timer any more. */
    void remove(int index) {
        int position = positions[index];
        if (position < 0) {
            return;
        }
        positions[index] = -1;
        int last = heap[--size];
        if (position < size) {
            place(last, position);
            siftDown(siftUp(position));
        }
    }

    private boolean before(int a, int b) {
        return timestamps[a] < timestamps[b] || (timestamps[a] == timestamps[b] && a < b);
    }

    private int siftUp(int position) {
        int index = heap[position];
        while (position > 0) {
            int parent = (position - 1) >>> 1;
            if (!before(index, heap[parent])) {
                break;
            }
            place(heap[parent], position);
            position = parent;
        }
        place(index, position);
        return position;
    }

    private void siftDown(int position) {
        int index = heap[position];
        while (true) {
            int child = 2 * position + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], index)) {
                break;
            }
            place(heap[child], position);
            position = child;
        }
        place(index, position);
    }

    private void place(int index, int position) {
        heap[position] = index;
        positions[index] = position;
    }
}

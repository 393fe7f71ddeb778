package dev.cairn.state.rocksdb.internal;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Upper bounds of the byte sizes of recently written lists, so that an append can check RocksDB's 2^31-1 byte value
 * limit without reading the list. Keyed by a 64-bit hash of the list's RocksDB key (CRC32C and the polynomial hash,
 * both from the JDK), in primitive open-addressing arrays: 16 bytes per list instead of a map entry's ~140.
 *
 * <p>A slot's value bounds the size of <em>every</em> list whose key hashes to it, so a hash collision only makes
 * a bound conservative, never too small: appends add to the bound; {@link #raiseTo} keeps the larger value. When a
 * bound would cross the limit the caller reads the list's exact size instead. When {@code maxEntries} lists are
 * tracked the table is emptied.
 *
 * <p>Lists the table does not hold are bounded by {@link #get the untracked bound}: for a state whose column family
 * started empty in this backend every list was written through the table, so a list it does not hold is either
 * new (size 0) or was forgotten when the table was emptied — and emptying raises the untracked bound to the largest
 * bound it forgets. Appends to such a state never read, however many lists it has. For a state with data from
 * elsewhere (a restore) the untracked bound is unknown, and a list the table does not hold is looked up once.
 */
final class ListSizeBounds {
    private static final int INITIAL_CAPACITY = 1024;
    /** Marks an empty slot; a key whose hash is 0 is stored as 1. */
    private static final long EMPTY = 0;

    private final int maxEntries;
    /** Bounds every list the table does not hold; -1: unknown (the caller reads the exact size). */
    private long untrackedBound;

    private final CRC32C crc = new CRC32C();
    private long[] hashes = new long[INITIAL_CAPACITY];
    private long[] bounds = new long[INITIAL_CAPACITY];
    private int size;

    /**
     * @param maxEntries how many lists are tracked before the table is emptied
     * @param startsEmpty whether every list of the state is written through this table (its column family started
     *     empty): then a list the table does not hold is bounded by what emptying forgot, not unknown
     */
    ListSizeBounds(int maxEntries, boolean startsEmpty) {
        this.maxEntries = maxEntries;
        this.untrackedBound = startsEmpty ? 0 : -1;
    }

    long hash(byte[] key) {
        return hash(key, key.length);
    }

    /** The 64-bit hash of {@code key[0, length)}: CRC32C in the high half, the polynomial hash in the low. */
    long hash(byte[] key, int length) {
        crc.reset();
        crc.update(key, 0, length);
        int polynomial = 1;
        for (int i = 0; i < length; i++) {
            polynomial = 31 * polynomial + key[i];
        }
        long hash = (crc.getValue() << 32) ^ (polynomial & 0xFFFF_FFFFL);
        return hash == EMPTY ? 1 : hash;
    }

    private int slot(long hash) {
        int mask = hashes.length - 1;
        int index = (int) (hash ^ (hash >>> 29)) & mask;
        while (hashes[index] != EMPTY && hashes[index] != hash) {
            index = (index + 1) & mask;
        }
        return index;
    }

    /** The bound for {@code hash}: its slot's, else the untracked bound; -1 if unknown. */
    long get(long hash) {
        int index = slot(hash);
        return hashes[index] == EMPTY ? untrackedBound : bounds[index];
    }

    /** Sets the bound (the caller knows it bounds every list of this hash). */
    void set(long hash, long bound) {
        int index = slot(hash);
        if (hashes[index] == EMPTY) {
            if (size >= maxEntries) {
                clear();
            } else if (size + 1 > hashes.length / 2) {
                grow();
            }
            index = slot(hash);
            hashes[index] = hash;
            size++;
        }
        bounds[index] = bound;
    }

    /** Raises the bound to at least {@code size} (a list of this hash now has exactly that size). */
    void raiseTo(long hash, long size) {
        long current = get(hash);
        set(hash, Math.max(current, size));
    }

    int size() {
        return size;
    }

    /** Forgets every list; with a known untracked bound, raises it to the largest bound forgotten. */
    private void clear() {
        if (untrackedBound >= 0) {
            for (int i = 0; i < hashes.length; i++) {
                if (hashes[i] != EMPTY) {
                    untrackedBound = Math.max(untrackedBound, bounds[i]);
                }
            }
        }
        Arrays.fill(hashes, EMPTY);
        size = 0;
    }

    private void grow() {
        long[] oldHashes = hashes;
        long[] oldBounds = bounds;
        hashes = new long[oldHashes.length * 2];
        bounds = new long[oldHashes.length * 2];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != EMPTY) {
                int index = slot(oldHashes[i]);
                hashes[index] = oldHashes[i];
                bounds[index] = oldBounds[i];
            }
        }
    }
}

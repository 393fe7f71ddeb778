package dev.cairn.state.rocksdb.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A counting Bloom filter over the RocksDB keys of a timer queue's timers: {@link #mightContain} never answers
 * {@code false} for a timer that is registered, so an {@code add} that the filter rules out is a blind write — the
 * queue still knows exactly whether a timer is new and how many it holds, without a RocksDB lookup per registration.
 *
 * <p>Counters are 4 bits, {@value #HASHES} per key. Removing decrements them, so firing timers does not fill the
 * filter up; a counter that reached 15 stays there (it may be shared by more keys than it can count, and decrementing
 * it could then forget a registered timer). The queue sizes the filter from its number of timers — {@value
 * #COUNTERS_PER_TIMER} counters, 8 bytes, per timer, about 0.25 % false positives — between {@value #MIN_COUNTERS}
 * and {@value #MAX_COUNTERS} counters (32 KB to 8 MB, the designed rate up to a million timers); above that many
 * timers the filter answers "maybe" more often and the queue looks up more, but memory stays bounded. (Each "maybe"
 * costs a RocksDB lookup, which with the timers' small write buffer mostly reads SST files: at a million timers and
 * 3 % false positives, 8 counters per timer, those lookups were 8 % of the queue's time.)
 */
final class TimerMembershipFilter {
    static final int HASHES = 4;
    static final int COUNTERS_PER_TIMER = 16;
    static final int MIN_COUNTERS = 1 << 16;
    static final int MAX_COUNTERS = 1 << 24;
    private static final long SATURATED = 15;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] counters;
    private final int mask;

    /** A filter with room for {@code timers} timers at the designed false-positive rate (within the bounds). */
    static TimerMembershipFilter forTimers(long timers) {
        long wanted = Math.max(MIN_COUNTERS, Math.min(MAX_COUNTERS, timers * COUNTERS_PER_TIMER));
        return new TimerMembershipFilter((int) Long.highestOneBit(wanted - 1) << 1);
    }

    private TimerMembershipFilter(int counters) {
        this.counters = new long[counters / 16];
        this.mask = counters - 1;
    }

    /** Whether more timers than this filter was sized for are registered, and a larger one would be allowed. */
    boolean outgrownBy(long timers) {
        return capacity() < MAX_COUNTERS && timers * COUNTERS_PER_TIMER > capacity();
    }

    int capacity() {
        return mask + 1;
    }

    void add(byte[] key) {
        adjust(key, 1);
    }

    /** Forgets one registration of {@code key}; only for a key that was {@link #add added} and not removed since. */
    void remove(byte[] key) {
        adjust(key, -1);
    }

    private void adjust(byte[] key, long delta) {
        long hash = hash(key);
        for (int i = 0; i < HASHES; i++) {
            int counter = index(hash, i);
            int word = counter >>> 4;
            int shift = (counter & 15) << 2;
            long value = (counters[word] >>> shift) & 15;
            // A saturated counter stays (see above); an empty one has nothing to forget.
            if (value != SATURATED && value + delta >= 0) {
                counters[word] += delta << shift;
            }
        }
    }

    /** {@code false} only if {@code key} is certainly not registered. */
    boolean mightContain(byte[] key) {
        long hash = hash(key);
        for (int i = 0; i < HASHES; i++) {
            int counter = index(hash, i);
            if (((counters[counter >>> 4] >>> ((counter & 15) << 2)) & 15) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Double hashing: the i-th counter from the two halves of one 64-bit hash. */
    private int index(long hash, int i) {
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32) | 1;
        return (h1 + i * h2) & mask;
    }

    /**
     * A 64-bit hash of the whole key, 8 bytes at a time. Timer keys of one key group share their first bytes and
     * differ in a few timestamp and key bytes, so every byte must reach every bit of the result: each word is mixed
     * in with a multiply and a rotation, and the result is finished with MurmurHash3's 64-bit avalanche.
     */
    static long hash(byte[] key) {
        long hash = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        for (; i + 8 <= key.length; i += 8) {
            hash = Long.rotateLeft(hash ^ ((long) LONGS.get(key, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < key.length; i++, shift += 8) {
            tail |= (key[i] & 0xFFL) << shift;
        }
        hash = Long.rotateLeft(hash ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        hash ^= hash >>> 33;
        hash *= 0xFF51AFD7ED558CCDL;
        hash ^= hash >>> 33;
        hash *= 0xC4CEB93FE1A85EC3L;
        return hash ^ (hash >>> 33);
    }
}

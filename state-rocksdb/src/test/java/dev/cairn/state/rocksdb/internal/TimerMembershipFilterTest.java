package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The filter that lets a RocksDB timer queue register without a lookup: it must never rule out a registered timer
 * (the queue would then count it twice and record it again), and at its designed load it must rule out most
 * unregistered ones (else every registration looks up again).
 */
class TimerMembershipFilterTest {
    /** A timer key as the queue writes it: key group, timestamp, then the key — they share long prefixes. */
    private static byte[] timerKey(int keyGroup, long timestamp, long key) {
        return ByteBuffer.allocate(2 + 8 + 1 + 8 + 1)
                .putShort((short) keyGroup)
                .putLong(timestamp ^ Long.MIN_VALUE)
                .put((byte) 8)
                .putLong(key)
                .put((byte) 0)
                .array();
    }

    @Test
    void neverRulesOutARegisteredTimerThroughAddsRemovesAndSaturatedCounters() {
        // The smallest filter with ten times the timers it is sized for: many counters saturate.
        TimerMembershipFilter filter = TimerMembershipFilter.forTimers(0);
        int timers = 10 * TimerMembershipFilter.MIN_COUNTERS / TimerMembershipFilter.COUNTERS_PER_TIMER;
        Random random = new Random(5);
        List<byte[]> registered = new ArrayList<>();
        Set<ByteBuffer> model = new HashSet<>();
        for (int step = 0; step < 4 * timers; step++) {
            if (!registered.isEmpty() && (registered.size() >= timers || random.nextInt(3) == 0)) {
                byte[] fired = registered.remove(random.nextInt(registered.size()));
                filter.remove(fired);
                model.remove(ByteBuffer.wrap(fired));
            } else {
                byte[] key = timerKey(random.nextInt(128), random.nextInt(1 << 20), random.nextInt(1 << 16));
                if (model.add(ByteBuffer.wrap(key))) {
                    filter.add(key);
                    registered.add(key);
                }
            }
        }
        assertThat(registered).allMatch(filter::mightContain);
    }

    @Test
    void rulesOutMostUnregisteredTimersAtItsDesignedLoadAndAfterRemovals() {
        int timers = 100_000;
        TimerMembershipFilter filter = TimerMembershipFilter.forTimers(timers);
        assertThat(filter.capacity()).isGreaterThanOrEqualTo(timers * TimerMembershipFilter.COUNTERS_PER_TIMER);
        List<byte[]> registered = new ArrayList<>();
        for (int i = 0; i < timers; i++) {
            byte[] key = timerKey(i % 128, 1_000_000L + i, i);
            filter.add(key);
            registered.add(key);
        }
        assertThat(falsePositiveRate(filter, 0)).isLessThan(0.01);
        // Firing every timer and registering as many new ones leaves the filter as selective as before.
        registered.forEach(filter::remove);
        for (int i = 0; i < timers; i++) {
            filter.add(timerKey(i % 128, 5_000_000L + i, i));
        }
        assertThat(falsePositiveRate(filter, 1)).isLessThan(0.01);
    }

    private static double falsePositiveRate(TimerMembershipFilter filter, int round) {
        int probes = 100_000;
        int maybe = 0;
        for (int i = 0; i < probes; i++) {
            // Timestamps no registered timer has.
            if (filter.mightContain(timerKey(i % 128, 9_000_000L + round * 1_000_000L + i, i))) {
                maybe++;
            }
        }
        return (double) maybe / probes;
    }

    @Test
    void growsWithTheTimersUpToItsBound() {
        TimerMembershipFilter small = TimerMembershipFilter.forTimers(1_000);
        assertThat(small.capacity()).isEqualTo(TimerMembershipFilter.MIN_COUNTERS);
        assertThat(small.outgrownBy(1_000)).isFalse();
        assertThat(small.outgrownBy(TimerMembershipFilter.MIN_COUNTERS / TimerMembershipFilter.COUNTERS_PER_TIMER + 1))
                .isTrue();
        TimerMembershipFilter largest = TimerMembershipFilter.forTimers(100_000_000);
        assertThat(largest.capacity()).isEqualTo(TimerMembershipFilter.MAX_COUNTERS);
        assertThat(largest.outgrownBy(100_000_000)).isFalse();
    }

    @Test
    void hashSpreadsKeysThatDifferInOneByte() {
        Set<Long> hashes = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            byte[] key = timerKey(7, 1000, 42);
            key[key.length - 2] = (byte) i; // the key's last byte
            hashes.add(TimerMembershipFilter.hash(key) & 0xFFFF);
        }
        // 256 keys into 65 536 buckets: a weak hash that kept the differing byte in few bits would collide far more.
        assertThat(hashes).hasSizeGreaterThan(250);
    }
}

package dev.cairn.examples;

/**
 * The demo's deterministic source: event {@code i} is a click of a pseudo-random user at event time
 * {@code i * 5 ms} with a pseudo-random amount. Any position can be regenerated, so a restored job continues
 * exactly where its checkpoint says.
 */
final class ClickEvents {
    static final long MILLIS_PER_EVENT = 5;

    private final int users;

    ClickEvents(int users) {
        this.users = users;
    }

    long user(long position) {
        return Math.floorMod(mix(position), users);
    }

    long timestamp(long position) {
        return position * MILLIS_PER_EVENT;
    }

    long amount(long position) {
        return Math.floorMod(mix(position ^ 0x5DEECE66DL), 100) + 1;
    }

    /** SplitMix64's finalizer: a well-spread, reproducible hash. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

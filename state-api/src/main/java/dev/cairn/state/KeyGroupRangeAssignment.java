package dev.cairn.state;

/**
 * Maps keys to key groups and key groups to parallel instances.
 *
 * <p>A key's group is {@code murmurHash(key.hashCode()) % maxParallelism}; an instance {@code i} of
 * {@code parallelism} owns the contiguous range {@link #computeKeyGroupRangeForOperatorIndex}. Both are Flink's
 * functions, so a key lands in the same key group and instance as in Flink. They are part of the snapshot contract:
 * snapshots record the key-group hash they were written with (format version 2), and those of Cairn's earlier
 * hash (version 1) are re-partitioned key by key on restore.
 */
public final class KeyGroupRangeAssignment {
    /** The default number of key groups (the upper bound of parallelism). */
    public static final int DEFAULT_MAX_PARALLELISM = 128;
    /** The largest supported number of key groups. */
    public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

    private KeyGroupRangeAssignment() {}

    /**
     * {@return the key group of {@code key}; {@code key} must not be {@code null}}
     *
     * @param key the key (its {@code hashCode} is hashed)
     * @param maxParallelism the number of key groups
     */
    public static int assignToKeyGroup(Object key, int maxParallelism) {
        if (key == null) {
            throw new NullPointerException("Keyed state needs a non-null current key");
        }
        return computeKeyGroupForKeyHash(key.hashCode(), maxParallelism);
    }

    /**
     * The key group of {@code key}, which must be owned by a backend of {@code range}.
     *
     * @throws IllegalArgumentException naming the key, its key group and the range when it is outside
     * @param key the key
     * @param maxParallelism the number of key groups
     * @param range the key groups the caller owns
     * @return the key's key group
     */
    public static int assignToKeyGroupInRange(Object key, int maxParallelism, KeyGroupRange range) {
        int keyGroup = assignToKeyGroup(key, maxParallelism);
        if (!range.contains(keyGroup)) {
            throw new IllegalArgumentException("Key '" + key + "' belongs to key group " + keyGroup
                    + ", which is outside this backend's " + range);
        }
        return keyGroup;
    }

    /**
     * {@return the key group of a key with the given {@code hashCode()}: Flink's, so keys land where Flink puts them}
     *
     * @param keyHash the key's {@code hashCode}
     * @param maxParallelism the number of key groups
     */
    public static int computeKeyGroupForKeyHash(int keyHash, int maxParallelism) {
        int hash = murmurHash(keyHash);
        // The hash is never negative, so for the usual power-of-two max parallelism a mask gives the remainder
        // without a division (which costs more than the hash itself).
        return (maxParallelism & (maxParallelism - 1)) == 0 ? hash & (maxParallelism - 1) : hash % maxParallelism;
    }

    /**
     * MurmurHash3 (x86, 32 bit) of the four bytes of {@code code}, made non-negative — the function Flink assigns
     * key groups with; it spreads poor {@code hashCode()}s (small ints, Strings) over all key groups.
     */
    static int murmurHash(int code) {
        code *= 0xcc9e2d51;
        code = Integer.rotateLeft(code, 15);
        code *= 0x1b873593;
        code = Integer.rotateLeft(code, 13);
        code = code * 5 + 0xe6546b64;
        code ^= 4;
        code ^= code >>> 16;
        code *= 0x85ebca6b;
        code ^= code >>> 13;
        code *= 0xc2b2ae35;
        code ^= code >>> 16;
        if (code >= 0) {
            return code;
        }
        return code != Integer.MIN_VALUE ? -code : 0;
    }

    /**
     * {@return the key groups instance {@code operatorIndex} of {@code parallelism} owns}
     *
     * @param maxParallelism the number of key groups
     * @param parallelism the number of operator instances
     * @param operatorIndex the instance, from 0
     */
    public static KeyGroupRange computeKeyGroupRangeForOperatorIndex(
            int maxParallelism, int parallelism, int operatorIndex) {
        checkParallelism(maxParallelism, parallelism);
        if (operatorIndex < 0 || operatorIndex >= parallelism) {
            throw new IllegalArgumentException(
                    "Operator index " + operatorIndex + " is outside [0, " + (parallelism - 1) + "]");
        }
        int start = (operatorIndex * maxParallelism + parallelism - 1) / parallelism;
        int end = ((operatorIndex + 1) * maxParallelism - 1) / parallelism;
        return KeyGroupRange.of(start, end);
    }

    /**
     * {@return the instance of {@code parallelism} that owns {@code keyGroup}}
     *
     * @param maxParallelism the number of key groups
     * @param parallelism the number of operator instances
     * @param keyGroup a key group
     */
    public static int computeOperatorIndexForKeyGroup(int maxParallelism, int parallelism, int keyGroup) {
        checkParallelism(maxParallelism, parallelism);
        return keyGroup * parallelism / maxParallelism;
    }

    /**
     * Checks {@code 1 <= parallelism <= maxParallelism <= 32768}.
     *
     * @param maxParallelism the number of key groups
     * @param parallelism the number of operator instances
     */
    public static void checkParallelism(int maxParallelism, int parallelism) {
        if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
            throw new IllegalArgumentException(
                    "Max parallelism " + maxParallelism + " is outside [1, " + UPPER_BOUND_MAX_PARALLELISM + "]");
        }
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException(
                    "Parallelism " + parallelism + " is outside [1, max parallelism " + maxParallelism + "]");
        }
    }
}

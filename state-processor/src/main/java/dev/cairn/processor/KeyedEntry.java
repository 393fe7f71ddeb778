package dev.cairn.processor;

/**
 * One entry of a keyed state, as stored: for value, reducing and aggregating state the value; for list state the
 * list (one entry per key and namespace); for map state one entry per user key, whose value is a
 * {@link java.util.Map.Entry}; for timers the timer's timestamp. A state with TTL gives the user value, with the
 * time it was last written in {@code ttlTimestamp} (for lists and maps: of the entry's first element or value).
 *
 * @param keyGroup the entry's key group
 * @param key the key
 * @param namespace the namespace
 * @param value the value (see above)
 * @param ttlTimestamp the last-write time of a TTL value in epoch milliseconds, or {@code -1} without TTL
 */
public record KeyedEntry(int keyGroup, Object key, Object namespace, Object value, long ttlTimestamp) {}

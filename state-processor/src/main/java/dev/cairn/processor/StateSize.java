package dev.cairn.processor;

/**
 * How much one keyed state holds, counted by reading it ({@link OperatorView#stateSizes()}).
 *
 * @param entries its records: one per key and namespace for value, reducing and aggregating state, one per list
 *     (not per element) for list state, one per map entry for map state, one per timer for a timer queue
 * @param bytes the serialized bytes of keys, namespaces and values (the state's share of the uncompressed
 *     canonical form; without framing, and before RocksDB's compression for native checkpoints)
 */
public record StateSize(long entries, long bytes) {}

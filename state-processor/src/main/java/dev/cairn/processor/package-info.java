/**
 * Offline state: open any retained checkpoint or savepoint ({@link dev.cairn.processor.Checkpoints#open}), look at
 * its operators and states, verify its files, stream the entries of a keyed state, and write canonical savepoints
 * from it — converted from native RocksDB or changelog checkpoints, or re-partitioned for a new parallelism and a
 * new max parallelism ({@link dev.cairn.processor.Savepoints}).
 */
package dev.cairn.processor;

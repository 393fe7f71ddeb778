/**
 * {@link dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend}: keyed state as serialized bytes in an embedded
 * RocksDB, for state larger than memory. {@code org.rocksdb} is used only in this package tree.
 */
package dev.cairn.state.rocksdb;

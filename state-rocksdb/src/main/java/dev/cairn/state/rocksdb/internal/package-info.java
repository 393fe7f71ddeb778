/** Internals of the RocksDB backend: key layout, state objects, timers, snapshots, restore, resources. */
package dev.cairn.state.rocksdb.internal;

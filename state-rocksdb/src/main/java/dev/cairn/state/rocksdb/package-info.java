/** EmbeddedRocksDBStateBackend: keyed state as serialized bytes in RocksDB (issue 6; this module is an empty shell until then). */
package dev.cairn.state.rocksdb;

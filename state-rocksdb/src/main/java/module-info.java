/**
 * The RocksDB state backend ({@code state.backend.type: rocksdb}); the only module that uses {@code org.rocksdb}
 * (rocksdbjni has no module descriptor: it is required by its automatic name).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cairn.state.rocksdb {
    requires transitive dev.cairn.state.api;
    requires transitive rocksdbjni;
    requires org.slf4j;
    // The physical-memory check of the managed-memory budget (com.sun.management where available).
    requires java.management;
    requires static jdk.management;

    exports dev.cairn.state.rocksdb;

    provides dev.cairn.state.spi.StateBackendFactory with
            dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackendFactory;
    provides dev.cairn.state.spi.KeyedStateHandleCodec with
            dev.cairn.state.rocksdb.internal.IncrementalHandleCodec;
}

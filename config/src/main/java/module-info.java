/** Wiring by configuration: {@code StateEnvironment}, configuration files, backend and storage loaders. */
module dev.cairn.config {
    requires transitive dev.cairn.state.api;
    requires transitive dev.cairn.checkpoint;
    requires transitive dev.cairn.changelog;
    requires dev.cairn.state.heap;
    requires dev.cairn.state.rocksdb;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;

    exports dev.cairn.config;

    uses dev.cairn.state.spi.StateBackendFactory;
    uses dev.cairn.checkpoint.CheckpointStorageFactory;
    uses dev.cairn.checkpoint.fs.FileSystemFactory;
}

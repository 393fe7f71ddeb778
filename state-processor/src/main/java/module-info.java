/**
 * Offline access to checkpoints and savepoints: inspect, verify, read, convert and rescale them in-process, without
 * the application that wrote them.
 */
module dev.cairn.processor {
    requires transitive dev.cairn.state.api;
    requires transitive dev.cairn.checkpoint;
    requires dev.cairn.state.heap;
    requires dev.cairn.state.rocksdb;
    requires dev.cairn.changelog;
    requires org.slf4j;

    exports dev.cairn.processor;
}

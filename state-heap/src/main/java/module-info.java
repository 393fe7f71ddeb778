/** The heap state backend ({@code state.backend.type: hashmap}). */
module dev.cairn.state.heap {
    requires transitive dev.cairn.state.api;
    requires org.slf4j;

    exports dev.cairn.state.heap;

    provides dev.cairn.state.spi.StateBackendFactory with
            dev.cairn.state.heap.HashMapStateBackendFactory;
    provides dev.cairn.state.spi.KeyedStateHandleCodec with
            dev.cairn.state.heap.internal.IncrementalHeapHandleCodec;
}

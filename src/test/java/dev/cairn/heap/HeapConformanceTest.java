package dev.cairn.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;
import dev.cairn.state.heap.HashMapStateBackend;

/** The heap backend against the whole conformance suite. */
class HeapConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return HashMapStateBackend::new;
    }
}

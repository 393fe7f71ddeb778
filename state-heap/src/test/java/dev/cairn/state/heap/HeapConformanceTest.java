package dev.cairn.state.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;

/** The heap backend against the whole conformance suite. */
class HeapConformanceTest extends StateBackendConformanceSuite {
    @Override
    protected BackendFixture fixture() {
        return HashMapStateBackend::new;
    }
}

package dev.cairn.state.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/** The heap backend against the random-operation model. */
class HeapStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return HashMapStateBackend::new;
    }
}

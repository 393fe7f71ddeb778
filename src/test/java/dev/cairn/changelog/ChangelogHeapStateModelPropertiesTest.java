package dev.cairn.changelog;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.ChangelogFixtures;
import dev.cairn.conformance.StateModelProperties;
import dev.cairn.state.heap.HashMapStateBackend;

/** The heap backend wrapped in the changelog backend against the random-operation model. */
class ChangelogHeapStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return ChangelogFixtures.inMemory(HashMapStateBackend::new);
    }
}

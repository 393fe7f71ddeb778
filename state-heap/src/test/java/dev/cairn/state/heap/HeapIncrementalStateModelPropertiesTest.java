package dev.cairn.state.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateModelProperties;

/**
 * The heap backend with incremental checkpoints against the random-operation model: checkpoints build chains of
 * deltas (short ones, so new bases come often too) that later restores and rescales read back.
 */
class HeapIncrementalStateModelPropertiesTest extends StateModelProperties {
    @Override
    protected BackendFixture fixture() {
        return () -> new HashMapStateBackend(true).withChainLimits(3, 100);
    }
}

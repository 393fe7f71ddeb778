package dev.cairn.conformance;

import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;

/**
 * How the conformance suite gets the backend under test and the place its snapshots go. A third-party backend
 * runs the whole suite with one subclass of {@link StateBackendConformanceSuite} returning its fixture.
 */
public interface BackendFixture {
    /** A fresh backend (configuration object); called once per test. */
    StateBackend createStateBackend();

    /** Where snapshots are written; in memory unless a storage is under test. */
    default CheckpointStreamFactory createStreamFactory() {
        return new MemoryCheckpointStreamFactory();
    }
}

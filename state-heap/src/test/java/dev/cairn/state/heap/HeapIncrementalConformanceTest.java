package dev.cairn.state.heap;

import dev.cairn.conformance.BackendFixture;
import dev.cairn.conformance.StateBackendConformanceSuite;
import org.junit.jupiter.api.Nested;

/**
 * The heap backend with incremental checkpoints against the whole conformance suite: with the default chain limits,
 * and with chains so short that new bases and deltas alternate.
 */
class HeapIncrementalConformanceTest {

    @Nested
    class DefaultLimits extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return () -> new HashMapStateBackend(true);
        }
    }

    @Nested
    class ShortChains extends StateBackendConformanceSuite {
        @Override
        protected BackendFixture fixture() {
            return () -> new HashMapStateBackend(true).withChainLimits(2, 100);
        }
    }
}

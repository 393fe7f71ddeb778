package dev.cairn.conformance;

import org.junit.jupiter.api.Nested;

/**
 * The whole keyed-state conformance suite. A backend (built-in or third-party) runs every capability with one
 * subclass:
 *
 * <pre>{@code
 * class MyBackendConformanceTest extends StateBackendConformanceSuite {
 *     protected BackendFixture fixture() { return MyStateBackend::new; }
 * }
 * }</pre>
 *
 * The random-operation property test ({@link StateModelProperties}) runs on the jqwik engine and needs its own
 * one-line subclass.
 */
public abstract class StateBackendConformanceSuite {

    /** The backend under test. */
    protected abstract BackendFixture fixture();

    @Nested
    class ValueStates extends ValueStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class ListStates extends ListStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class MapStates extends MapStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class ReducingAndAggregatingStates extends ReducingAndAggregatingStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class NamespacesAndKeyIteration extends NamespaceAndKeyIterationConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class SnapshotAndRestore extends SnapshotRestoreConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class ConcurrentSnapshots extends ConcurrentSnapshotConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class Rescaling extends RescalingConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class SerializerCompatibility extends SerializerCompatibilityConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class Timers extends TimerConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class OperatorState extends OperatorStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class MergingStates extends MergingStateConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class SnapshotCancellation extends SnapshotCancellationConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }

    @Nested
    class Ttl extends TtlConformance {
        @Override
        protected BackendFixture fixture() {
            return StateBackendConformanceSuite.this.fixture();
        }
    }
}

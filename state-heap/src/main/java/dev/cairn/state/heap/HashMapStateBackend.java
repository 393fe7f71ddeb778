package dev.cairn.state.heap;

import dev.cairn.state.heap.internal.HeapKeyedStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.OperatorBackendParameters;
import dev.cairn.state.spi.OperatorStateBackend;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.DefaultOperatorStateBackend;

/**
 * Keeps keyed state as objects on the Java heap: the fastest backend, for state that fits in memory.
 *
 * <p>Reads and writes are hash-map operations without serialization. Snapshots are asynchronous and
 * copy-on-write: starting one costs microseconds however large the state is, the task keeps writing while it is
 * written, and it holds exactly the state at the moment it started. Snapshots (checkpoints and savepoints) use
 * the canonical format, so they restore into any backend and any key-group range.
 *
 * <p><b>Caveats:</b> state objects are stored by reference. Do not mutate an object after passing it to
 * {@code update}/{@code add}/{@code put}, and do not keep objects returned by state reads beyond the current
 * record: while a snapshot runs the backend may hand out copies. Keys need stable {@code hashCode()}s (see
 * {@link dev.cairn.state.Serializers}). Large state means large heaps and GC pauses; use the RocksDB backend
 * for state larger than memory.
 */
public final class HashMapStateBackend implements StateBackend {
    /** The name under which {@code state.backend.type} selects this backend. */
    public static final String NAME = "hashmap";

    @Override
    public <K> CheckpointableKeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        return new HeapKeyedStateBackend<>(parameters);
    }

    /** Operator state on the heap, as for every backend: {@link DefaultOperatorStateBackend}. */
    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorBackendParameters parameters) {
        return DefaultOperatorStateBackend.create(parameters);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String toString() {
        return "HashMapStateBackend";
    }
}

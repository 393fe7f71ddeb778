package dev.cairn.state.heap.internal;

import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.support.CopyOnWriteStateMap;

/**
 * Base of the heap state objects: resolves the backend's current key and the state's current namespace to the
 * entry in the current key group's map.
 */
abstract class AbstractHeapState<K, N, S> implements InternalKvState<N> {
    protected final HeapKeyedStateBackend<K> backend;
    protected final StateTable<K, N, S> table;
    protected N namespace;

    AbstractHeapState(HeapKeyedStateBackend<K> backend, StateTable<K, N, S> table) {
        this.backend = backend;
        this.table = table;
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        if (namespace == null) {
            throw new NullPointerException("The namespace of state '" + table.getName() + "' must not be null");
        }
        this.namespace = namespace;
    }

    /** The map of the current key's key group; checks that a current key is set. */
    protected final CopyOnWriteStateMap<K, N, S> currentMap() {
        backend.checkedCurrentKey();
        return table.mapForKeyGroup(backend.getCurrentKeyGroupIndex());
    }

    /** The current entry's state, private to the caller (may be mutated in place), or {@code null}. */
    protected S getInternal() {
        return currentMap().get(backend.getCurrentKey(), namespace);
    }

    /**
     * The current entry's state for the caller to modify in place, or {@code null}: the entry counts as changed for
     * incremental checkpoints, which a plain read does not.
     */
    protected final S getForUpdateInternal() {
        return currentMap().getForUpdate(backend.getCurrentKey(), namespace);
    }

    protected final void putInternal(S state) {
        currentMap().put(backend.getCurrentKey(), namespace, state);
    }

    @Override
    public void clear() {
        currentMap().remove(backend.getCurrentKey(), namespace);
    }
}

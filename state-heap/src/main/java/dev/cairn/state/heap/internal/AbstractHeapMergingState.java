package dev.cairn.state.heap.internal;

import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.CopyOnWriteStateMap;
import java.util.Collection;

/**
 * A heap state whose namespaces can be merged (list, reducing, aggregating), with Flink's heap semantics: the
 * sources' states are removed in order and combined, then combined into the target's (target first).
 */
abstract class AbstractHeapMergingState<K, N, S> extends AbstractHeapState<K, N, S> implements InternalMergingState<N> {

    AbstractHeapMergingState(HeapKeyedStateBackend<K> backend, StateTable<K, N, S> table) {
        super(backend, table);
    }

    /**
     * Combines two states (both private to the caller, so {@code a} may be mutated and returned); {@code null}
     * means nothing remains (every TTL value expired).
     */
    protected abstract S mergeState(S a, S b);

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        CopyOnWriteStateMap<K, N, S> map = currentMap();
        K key = backend.getCurrentKey();
        S merged = null;
        for (N source : sources) {
            if (source == null) {
                continue;
            }
            S sourceState = map.removeAndGet(key, source);
            if (merged != null && sourceState != null) {
                merged = mergeState(merged, sourceState);
            } else if (merged == null) {
                merged = sourceState;
            }
        }
        if (merged != null) {
            S targetState = map.get(key, target);
            S result = targetState == null ? merged : mergeState(targetState, merged);
            if (result == null) {
                map.remove(key, target);
            } else {
                map.put(key, target, result);
            }
        }
    }
}

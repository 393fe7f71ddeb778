package dev.cairn.state.internal.ttl;

import dev.cairn.state.State;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;

/**
 * The internal state a TTL decorator wraps, seen through its user-facing interface {@code S} and as an
 * {@link InternalKvState} (every backend state object is both).
 */
record TtlInternal<N, S extends State>(Object object) {
    @SuppressWarnings("unchecked")
    S state() {
        return (S) object;
    }

    @SuppressWarnings("unchecked")
    InternalKvState<N> kv() {
        return (InternalKvState<N>) object;
    }

    @SuppressWarnings("unchecked")
    InternalMergingState<N> merging() {
        return (InternalMergingState<N>) object;
    }
}

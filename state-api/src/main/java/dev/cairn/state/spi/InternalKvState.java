package dev.cairn.state.spi;

import dev.cairn.state.State;

/**
 * The view a backend (and a decorator of its states: TTL, changelog) has of a keyed state object: besides the
 * user-facing operations, the namespace they apply to can be switched. {@link KeyedStateBackend#getPartitionedState}
 * returns one object per state name and switches its namespace on every call; decorators forward the switch to the
 * state they wrap, so every layer works on the same namespace.
 *
 * @param <N> the namespace type
 */
public interface InternalKvState<N> extends State {
    /**
     * Makes every following operation of this object apply to {@code namespace}.
     *
     * @param namespace the namespace
     *
     * @throws NullPointerException if {@code namespace} is {@code null}
     */
    void setCurrentNamespace(N namespace);
}

package dev.cairn.state.support;

/**
 * One (key, namespace) → state mapping in a {@link CopyOnWriteStateMap} bucket chain. Key, namespace and hash are
 * fixed; state and chain link change only while the entry is not shared with a running snapshot.
 */
public final class StateEntry<K, N, S> {
    final K key;
    final N namespace;
    final int hash;
    S state;
    StateEntry<K, N, S> next;
    /** Version when this entry object was created; below the required version it is shared and immutable. */
    int entryVersion;
    /** Version when {@link #state} was last replaced or copied; below the required version the object is shared. */
    int stateVersion;

    StateEntry(K key, N namespace, int hash, S state, StateEntry<K, N, S> next, int version) {
        this.key = key;
        this.namespace = namespace;
        this.hash = hash;
        this.state = state;
        this.next = next;
        this.entryVersion = version;
        this.stateVersion = version;
    }

    /** A private copy of a shared entry; the state object stays shared until replaced or copied. */
    StateEntry(StateEntry<K, N, S> shared, int version) {
        this(shared.key, shared.namespace, shared.hash, shared.state, shared.next, version);
        this.stateVersion = shared.stateVersion;
    }

    /**
     * {@return the version at which the state was last replaced or copied for a change} An entry read through a
     * snapshot's bucket array changed after the snapshot of version {@code v} started exactly when this is at least
     * {@code v} (a state copied for a read during a snapshot counts too: incremental snapshots may carry an entry
     * that did not change, never miss one that did).
     */
    public int stateVersion() {
        return stateVersion;
    }

    /** {@return the key} */
    public K key() {
        return key;
    }

    /** {@return the namespace} */
    public N namespace() {
        return namespace;
    }

    /**
     * The state. An entry reached through a snapshot's bucket array is not modified while the snapshot runs; one
     * reached through {@link CopyOnWriteStateMap#iterator()} must not be modified by the caller.
     *
     * @return the stored state
     */
    public S state() {
        return state;
    }
}

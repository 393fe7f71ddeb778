package dev.cairn.state.heap.internal;

/**
 * One (key, namespace) → state mapping in a {@link CopyOnWriteStateMap} bucket chain. Key, namespace and hash are
 * fixed; state and chain link change only while the entry is not shared with a running snapshot.
 */
final class StateEntry<K, N, S> {
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
        this.key = shared.key;
        this.namespace = shared.namespace;
        this.hash = shared.hash;
        this.state = shared.state;
        this.next = shared.next;
        this.entryVersion = version;
        this.stateVersion = shared.stateVersion;
    }
}

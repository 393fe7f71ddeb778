package dev.cairn.state.spi;

import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;

/**
 * A keyed backend whose stored states another layer can wrap — the changelog backend records every change of them
 * and replays changes into them on restore. The wrapping layer sits between the TTL decorators and the stored state,
 * so it needs the backend's raw state objects and its registration rules.
 *
 * @param <K> the key type
 */
public interface WrappableKeyedStateBackend<K> extends CheckpointableKeyedStateBackend<K> {
    /**
     * This backend's own state object for an already TTL-transformed descriptor, registered with {@code ttl} so that
     * snapshots and TTL cleanup know it, created on first use. The caller sets its namespace.
     *
     * @param namespaceSerializer serializer of the state's namespaces
     * @param descriptor the descriptor as stored (with TTL, its value type wraps the timestamp)
     * @param ttl the state's TTL, or {@code null} without
     * @param <N> the namespace type
     * @return the stored state
     */
    <N> InternalKvState<N> getOrCreateInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl);

    /**
     * Forgets the registration of a state while keeping its data, so that the application's registration is checked
     * against it — and may migrate it — like restored state (used after a changelog replay registered it with the
     * recorded serializers).
     *
     * @param stateName the state
     */
    void treatAsRestored(String stateName);

    /**
     * The backend's incremental TTL cleanup of a registered state, run by a wrapping layer on state access.
     *
     * @param stateName the state
     * @param ttl its TTL
     * @return the cleanup step; does nothing if the backend has no incremental cleanup
     */
    Runnable incrementalTtlCleanup(String stateName, StateTtlConfig ttl);

    /**
     * Announces many writes in a row through the state objects — a changelog replay — so that the backend may
     * collect them and apply them together (RocksDB: in write batches instead of one write per change). Until the
     * scope closes, every read still sees every earlier write; closing it applies what was collected. Writes made
     * outside the calling thread or after the scope closed are not part of it.
     *
     * @return the scope; the default applies every write at once and prefers no order
     */
    default BulkWrites beginBulkWrites() {
        return BulkWrites.IMMEDIATE;
    }

    /** A scope of collected writes, from {@link #beginBulkWrites()}. */
    interface BulkWrites extends AutoCloseable {
        /** Writes are applied as they come; any order is as good as another. */
        BulkWrites IMMEDIATE = new BulkWrites() {
            @Override
            public boolean prefersKeyOrder() {
                return false;
            }

            @Override
            public void close() {}
        };

        /**
         * Whether writes cost less when they come grouped by state and, within a state, in ascending key group and
         * then in the bytewise order of the serialized key and namespace (each as a varint length and the bytes) —
         * RocksDB's key order, in which memtable inserts are cheapest; on the heap the grouping alone pays (one key
         * group's map at a time stays in the CPU caches). A caller that can reorder independent writes (different
         * keys or namespaces) does so only when this says it pays.
         *
         * @return whether to sort
         */
        boolean prefersKeyOrder();

        /** Applies every collected write. */
        @Override
        void close();
    }
}

package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.TypeSerializer;
import java.util.HashMap;
import java.util.Map;

/**
 * What every keyed backend shares: the parameters, the current key and its key group, and TTL — a TTL-enabled
 * state is the backend's internal state of {@link TtlValue}s behind the decorators of {@link TtlStateFactory},
 * created once per name. Backends implement {@link #internalState} and, optionally, a TTL cleanup hook.
 *
 * @param <K> key type
 */
public abstract class AbstractKeyedStateBackend<K> implements CheckpointableKeyedStateBackend<K> {
    protected final String operatorIdentifier;
    protected final TypeSerializer<K> keySerializer;
    protected final int numberOfKeyGroups;
    protected final KeyGroupRange keyGroupRange;
    protected final TtlTimeProvider ttlTimeProvider;
    private final Map<String, State> ttlStates = new HashMap<>();
    private K currentKey;
    private int currentKeyGroup = -1;

    protected AbstractKeyedStateBackend(KeyedBackendParameters<K> parameters) {
        this.operatorIdentifier = parameters.getOperatorIdentifier();
        this.keySerializer = parameters.getKeySerializer();
        this.numberOfKeyGroups = parameters.getNumberOfKeyGroups();
        this.keyGroupRange = parameters.getKeyGroupRange();
        this.ttlTimeProvider = parameters.getTtlTimeProvider();
    }

    @Override
    public final void setCurrentKey(K key) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroupInRange(key, numberOfKeyGroups, keyGroupRange);
        onCurrentKeyChanged(key, keyGroup);
        currentKey = key;
        currentKeyGroup = keyGroup;
    }

    /** Called before the current key changes (the RocksDB backend serializes the key here). */
    protected void onCurrentKeyChanged(K key, int keyGroup) {}

    @Override
    public final K getCurrentKey() {
        return currentKey;
    }

    @Override
    public final int getCurrentKeyGroupIndex() {
        return currentKeyGroup;
    }

    @Override
    public final TypeSerializer<K> getKeySerializer() {
        return keySerializer;
    }

    @Override
    public final int getNumberOfKeyGroups() {
        return numberOfKeyGroups;
    }

    @Override
    public final KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <N, S extends State> S getPartitionedState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<S, ?> descriptor) {
        StateTtlConfig ttl = descriptor.getTtlConfig();
        if (ttl == null) {
            return (S) internalState(namespace, namespaceSerializer, descriptor, null);
        }
        State internal =
                internalState(namespace, namespaceSerializer, TtlStateFactory.internalDescriptor(descriptor), ttl);
        State wrapped = ttlStates.get(descriptor.getName());
        if (wrapped == null) {
            wrapped =
                    TtlStateFactory.wrap(descriptor, internal, ttlTimeProvider, ttlCleanup(descriptor.getName(), ttl));
            ttlStates.put(descriptor.getName(), wrapped);
        }
        return (S) wrapped;
    }

    /**
     * For backends that wrap this one (the changelog backend, which sits between the TTL decorators and the stored
     * state): the internal state of an already TTL-transformed descriptor, exactly as {@link #getPartitionedState}
     * uses it — without TTL decorators, but registered with {@code ttl} so that snapshots and cleanup know it.
     */
    public final <N> State getOrCreateInternalState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        return internalState(namespace, namespaceSerializer, descriptor, ttl);
    }

    /** For wrapping backends: this backend's incremental TTL cleanup of a registered state (see {@link #ttlCleanup}). */
    public final Runnable incrementalTtlCleanup(String stateName, StateTtlConfig ttl) {
        return ttlCleanup(stateName, ttl);
    }

    /**
     * The backend's own state object for {@code descriptor} (already transformed for TTL when {@code ttl} is not
     * {@code null}), created on first use, with its namespace set.
     */
    protected abstract <N> State internalState(
            N namespace, TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl);

    /** What to run on every access of a TTL state (incremental cleanup); nothing by default. */
    protected Runnable ttlCleanup(String stateName, StateTtlConfig ttl) {
        return () -> {};
    }

    /**
     * Fails when a state is requested again with another type, TTL setting or namespace serializer than it was
     * registered with.
     */
    protected static void checkSameRegistration(
            String name,
            StateDescriptor.Type registeredType,
            boolean registeredWithTtl,
            TypeSerializer<?> registeredNamespaceSerializer,
            StateDescriptor<?, ?> descriptor,
            StateTtlConfig ttl,
            TypeSerializer<?> namespaceSerializer) {
        if (registeredType != descriptor.getType() || registeredWithTtl != (ttl != null)) {
            throw new IllegalStateException("State '" + name + "' is already registered as " + registeredType
                    + " state" + (registeredWithTtl ? " with TTL" : "") + ", not " + descriptor.getType()
                    + (ttl == null ? "" : " with TTL"));
        }
        if (!registeredNamespaceSerializer.equals(namespaceSerializer)) {
            throw new IllegalStateException("State '" + name + "' is registered with namespace serializer "
                    + registeredNamespaceSerializer + ", not " + namespaceSerializer);
        }
    }

    /** Forgets the TTL decorators (on close). */
    protected final void clearTtlStates() {
        ttlStates.clear();
    }
}

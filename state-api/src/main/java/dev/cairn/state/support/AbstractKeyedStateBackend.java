package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.internal.ttl.TtlStateFactory;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.WrappableKeyedStateBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every keyed backend shares: the parameters, the current key and its key group, the registry of the states
 * handed out, and TTL.
 *
 * <p><b>Design.</b> A state name is registered once: the backend creates its own state object
 * ({@link #createInternalState}) — for a TTL-enabled descriptor an internal state of {@link TtlValue}s behind the
 * decorators of {@link TtlStateFactory} — and {@link #getPartitionedState} afterwards only switches the namespace
 * of that one object ({@link InternalKvState#setCurrentNamespace}), which every decorator forwards to the object it
 * wraps. So a state reached through several layers (TTL over changelog over the stored state) always works on the
 * namespace that was set last. As in Flink, the first registration's descriptor (default value, functions) stays in
 * effect; a later request for the same name with another descriptor is only checked (same kind, TTL on or off,
 * namespace serializer).
 *
 * <p>TTL cleanup: backends provide an incremental cleanup per state ({@link #ttlCleanup}), run on every access of
 * the state, and also on every {@link #setCurrentKey} (every record) when the TTL configuration asks for it.
 *
 * @param <K> key type
 */
public abstract class AbstractKeyedStateBackend<K> implements WrappableKeyedStateBackend<K> {
    /** The operator this backend belongs to, for messages. */
    protected final String operatorIdentifier;
    /** The serializer of the keys. */
    protected final TypeSerializer<K> keySerializer;
    /** The number of key groups (max parallelism). */
    protected final int numberOfKeyGroups;
    /** The key groups this backend owns. */
    protected final KeyGroupRange keyGroupRange;
    /** The time TTL is measured in. */
    protected final TtlTimeProvider ttlTimeProvider;

    /** A state handed out to the application: its backend object and what the application sees. */
    private record Registration(
            StateDescriptor<?, ?> descriptor,
            TypeSerializer<?> namespaceSerializer,
            InternalKvState<Object> internal,
            State exposed) {}

    private final Map<String, Registration> registrations = new HashMap<>();
    private final List<Runnable> keySelectionListeners = new ArrayList<>();
    /** The registration used last: most accesses ask for the same state again (Flink keeps the same shortcut). */
    private Registration lastRegistration;

    private K currentKey;
    private int currentKeyGroup = -1;

    /**
     * Takes over the parameters.
     *
     * @param parameters the backend's parameters
     */
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
        for (int i = 0; i < keySelectionListeners.size(); i++) {
            keySelectionListeners.get(i).run();
        }
    }

    /**
     * Called before the current key changes (the RocksDB backend serializes the key here).
     *
     * @param key the new current key
     * @param keyGroup its key group
     */
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
        Objects.requireNonNull(namespace, () -> "The namespace of state '" + descriptor.getName() + "' is null");
        Registration registration = lastRegistration;
        if (registration == null
                || registration.descriptor() != descriptor
                || registration.namespaceSerializer() != namespaceSerializer) {
            registration = registration(namespaceSerializer, descriptor);
            lastRegistration = registration;
        }
        registration.internal().setCurrentNamespace(namespace);
        return (S) registration.exposed();
    }

    private Registration registration(TypeSerializer<?> namespaceSerializer, StateDescriptor<?, ?> descriptor) {
        Registration registration = registrations.get(descriptor.getName());
        if (registration == null) {
            registration = register(namespaceSerializer, descriptor);
            registrations.put(descriptor.getName(), registration);
        } else {
            StateDescriptor<?, ?> registered = registration.descriptor();
            KeyedStateRegistry.checkSameRegistration(
                    descriptor.getName(),
                    registered.getType(),
                    registered.getTtlConfig() != null,
                    registration.namespaceSerializer(),
                    descriptor,
                    descriptor.getTtlConfig(),
                    namespaceSerializer);
        }
        return registration;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Registration register(TypeSerializer namespaceSerializer, StateDescriptor descriptor) {
        StateTtlConfig ttl = descriptor.getTtlConfig();
        if (ttl == null) {
            InternalKvState<Object> internal = createInternalState(namespaceSerializer, descriptor, null);
            return new Registration(descriptor, namespaceSerializer, internal, internal);
        }
        InternalKvState<Object> internal = createInternalState(
                namespaceSerializer, TtlStateFactory.internalDescriptor(descriptor, ttlTimeProvider), ttl);
        Runnable cleanup = ttlCleanup(descriptor.getName(), ttl);
        StateTtlConfig.CleanupStrategies strategies = ttl.getCleanupStrategies();
        if (strategies.runCleanupForEveryRecord() && strategies.incrementalCleanupSize() > 0) {
            keySelectionListeners.add(cleanup);
        }
        State exposed = TtlStateFactory.wrap(descriptor, internal, ttlTimeProvider, cleanup);
        return new Registration(descriptor, namespaceSerializer, internal, exposed);
    }

    /**
     * For backends that wrap this one (the changelog backend, which sits between the TTL decorators and the stored
     * state): this backend's own state object for an already TTL-transformed descriptor (see
     * {@link TtlStateFactory#internalDescriptor}), registered with {@code ttl} so that snapshots and cleanup know
     * it, created on first use. The caller sets its namespace.
     */
    @Override
    public final <N> InternalKvState<N> getOrCreateInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        return createInternalState(namespaceSerializer, descriptor, ttl);
    }

    /**
     * For a changelog replay, which registers states with the serializers recorded in the changelog (and
     * placeholder functions) only to apply the changes: forgets that registration while keeping the data, so that
     * the application's registration is checked against it — and may migrate it, e.g. switch TTL on or off — like
     * restored state, and its descriptor's default value and functions take effect.
     */
    @Override
    public final void treatAsRestored(String stateName) {
        registrations.remove(stateName);
        lastRegistration = null;
        onTreatAsRestored(stateName);
    }

    /**
     * See {@link #treatAsRestored}: the backend turns the registered state back into restored, unregistered state.
     *
     * @param stateName the state's name
     */
    protected abstract void onTreatAsRestored(String stateName);

    /** For wrapping backends: this backend's incremental TTL cleanup of a registered state (see {@link #ttlCleanup}). */
    @Override
    public final Runnable incrementalTtlCleanup(String stateName, StateTtlConfig ttl) {
        return ttlCleanup(stateName, ttl);
    }

    /**
     * The backend's own state object for {@code descriptor} (already transformed for TTL when {@code ttl} is not
     * {@code null}), created and registered on first use; later calls for the same name return the same object
     * (after checking the registration). It must implement {@link InternalKvState}, and
     * {@link InternalMergingState} for list, reducing and aggregating state, and {@link InternalAppendingState} for
     * reducing and aggregating state.
     *
     * @param <N> the namespace type
     * @param namespaceSerializer the serializer of the namespaces
     * @param descriptor the state's descriptor, already transformed for TTL when {@code ttl} is set
     * @param ttl the state's TTL, or {@code null}
     * @return the backend's state object
     */
    protected abstract <N> InternalKvState<N> createInternalState(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl);

    /**
     * {@return what to run on every access of a TTL state (incremental cleanup); nothing by default}
     *
     * @param stateName the state's name
     * @param ttl the state's TTL
     */
    protected Runnable ttlCleanup(String stateName, StateTtlConfig ttl) {
        return () -> {};
    }

    /** Forgets every registration (on close). */
    protected final void clearRegistrations() {
        registrations.clear();
        keySelectionListeners.clear();
        lastRegistration = null;
    }
}

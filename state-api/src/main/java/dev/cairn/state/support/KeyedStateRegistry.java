package dev.cairn.state.support;

import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.spi.InternalKvState;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The states and timer queues of one keyed backend, by name: what the heap and the RocksDB backend share about
 * registering state, so the rules are written once.
 *
 * <ul>
 *   <li><b>Registration checks.</b> A name is keyed state or a timer queue, never both; a state registered again
 *       must come with the same kind, TTL setting and namespace serializer; a timer queue with the same namespace
 *       serializer.
 *   <li><b>Restored state.</b> A state restored from a snapshot keeps the snapshot's serializers until the
 *       application registers it; then the new serializers are checked against the snapshot's (kind, schema
 *       compatibility, TTL switched on or off) and the backend adapts the data ({@link Storage#migrate}).
 *   <li><b>Snapshots.</b> Each state knows the meta information to record and its full-snapshot TTL cutoff
 *       ({@link RegisteredState#fullSnapshotCleanupTtl()}).
 * </ul>
 *
 * <p>Iteration order is registration (or restore) order, so snapshots list states in a stable order. Not
 * thread-safe: used on the task thread; asynchronous snapshot parts read the captured {@link RegisteredState}s.
 *
 * @param <T> the backend's storage of one state (a heap table, a column family)
 */
public final class KeyedStateRegistry<T> {

    /**
     * What a backend does for the registry: create storage, adapt restored data, create state objects.
     *
     * @param <T> the backend's storage of one state
     */
    public interface Storage<T> {
        /**
         * Creates the storage of a state seen for the first time, registered or restored.
         *
         * @param name the state's name
         * @param kind what is stored
         * @param namespaceSerializer the serializer of the namespaces ({@code null} for restored state unless
         *     {@link #needsRestoredSerializers()})
         * @param valueSerializers the serializers of the values ({@link StateMetaInfo#valueSerializersOf} order;
         *     {@code null} likewise)
         * @return the new storage
         */
        T create(
                String name,
                StateKind kind,
                TypeSerializer<?> namespaceSerializer,
                List<TypeSerializer<?>> valueSerializers);

        /**
         * Adapts restored data to the application's first registration, while {@code state} still describes the
         * data with the restored serializers: e.g. rewrites values for new serializers or wraps them in TTL values.
         *
         * @param state the restored state
         * @param compatibility how the registration relates to the restored data (never incompatible)
         * @param newValueSerializers the serializers of the registration
         */
        void migrate(
                RegisteredState<T> state,
                StateMetaInfo.Compatibility compatibility,
                List<TypeSerializer<?>> newValueSerializers);

        /**
         * Creates the backend's state object once the registration is recorded in {@code state}.
         *
         * @param state the registered state (its serializers are the descriptor's)
         * @param descriptor the registration's descriptor (already transformed for TTL)
         * @return a state object as {@link AbstractKeyedStateBackend#createInternalState} requires
         */
        InternalKvState<?> createState(RegisteredState<T> state, StateDescriptor<?, ?> descriptor);

        /**
         * Whether restored timers can take a namespace serializer that is compatible only after migration: true
         * for storage of objects, which are never re-read with the old serializer; false for stored bytes.
         *
         * @return whether migrating timer namespaces are accepted
         */
        default boolean acceptsMigratedTimerNamespace() {
            return false;
        }

        /**
         * Whether restored state needs its serializers when it is restored (a backend of objects deserializes the
         * data); a backend of bytes gets them on first use, so restoring needs none of the application's classes.
         *
         * @return whether {@link #create} gets the restored serializers (else {@code null}s)
         */
        default boolean needsRestoredSerializers() {
            return true;
        }
    }

    private final Storage<T> storage;
    private final Map<String, RegisteredState<T>> states = new LinkedHashMap<>();

    /**
     * Creates an empty registry.
     *
     * @param storage the backend's side of registration
     */
    public KeyedStateRegistry(Storage<T> storage) {
        this.storage = storage;
    }

    /**
     * The backend's state object for {@code descriptor}: created on first use (taking over restored data of the same
     * name), the same object afterwards, after checking that the request matches the registration.
     *
     * @param namespaceSerializer the serializer of the namespaces
     * @param descriptor the descriptor, already transformed for TTL when {@code ttl} is not null
     * @param ttl the state's TTL, or null
     * @param <N> namespace type
     * @return the backend's state object
     * @throws IllegalStateException when the name is a timer queue, or registered with another kind, TTL setting or
     *     namespace serializer
     * @throws StateMigrationException when restored data cannot be read with the new serializers
     */
    @SuppressWarnings("unchecked")
    public <N> InternalKvState<N> getOrCreate(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        String name = descriptor.getName();
        RegisteredState<T> state = states.get(name);
        if (state != null && state.state() != null) {
            StateDescriptor<?, ?> registered = state.descriptor();
            checkSameRegistration(
                    name,
                    registered.getType(),
                    state.ttlConfig() != null,
                    state.namespaceSerializer(),
                    descriptor,
                    ttl,
                    namespaceSerializer);
            return (InternalKvState<N>) state.state();
        }
        if (state != null && state.isTimers()) {
            throw new IllegalStateException(
                    "'" + name + "' is the name of a timer queue, not of " + descriptor.getType() + " state");
        }
        StateKind kind = StateKind.of(descriptor.getType());
        List<TypeSerializer<?>> valueSerializers = StateMetaInfo.valueSerializersOf(descriptor);
        if (state == null) {
            state = new RegisteredState<>(
                    name,
                    kind,
                    storage.create(name, kind, namespaceSerializer, valueSerializers),
                    namespaceSerializer,
                    valueSerializers,
                    null);
            states.put(name, state);
        } else {
            StateMetaInfo.Compatibility compatibility =
                    state.restoredMetaInfo().checkCompatibility(descriptor, namespaceSerializer);
            storage.migrate(state, compatibility, valueSerializers);
        }
        state.register(descriptor, namespaceSerializer, ttl);
        InternalKvState<N> created = (InternalKvState<N>) storage.createState(state, descriptor);
        state.attach(created);
        return created;
    }

    /**
     * The timer queue {@code name}, created on first use; a restored queue is taken over with the new namespace
     * serializer after checking it against the restored one.
     *
     * @param name the queue's name
     * @param namespaceSerializer the serializer of the timers' namespaces
     * @return the registered timer queue
     * @throws IllegalStateException when the name is keyed state, or the queue is in use with another namespace
     *     serializer
     * @throws StateMigrationException when the restored timers cannot be read with the new namespace serializer
     */
    public RegisteredState<T> timers(String name, TypeSerializer<?> namespaceSerializer) {
        RegisteredState<T> state = states.get(name);
        if (state == null) {
            state = new RegisteredState<>(
                    name,
                    StateKind.TIMERS,
                    storage.create(name, StateKind.TIMERS, namespaceSerializer, List.of()),
                    namespaceSerializer,
                    List.of(),
                    null);
            states.put(name, state);
            return state;
        }
        checkTimers(name, state.kind());
        if (state.restoredMetaInfo() == null) {
            checkSameTimerNamespace(name, state.namespaceSerializer(), namespaceSerializer);
        } else {
            checkRestoredTimerNamespace(
                    name, state.restoredMetaInfo(), namespaceSerializer, storage.acceptsMigratedTimerNamespace());
        }
        state.registerTimers(namespaceSerializer);
        return state;
    }

    /**
     * Where the restored data of {@code metaInfo} goes: the state of that name, created with the snapshot's
     * serializers on first sight (a restore from several snapshots, after rescaling, meets it several times).
     *
     * @param metaInfo a restored snapshot's meta information
     * @return the registered state
     * @throws StateMigrationException when two snapshots disagree on the state's kind
     */
    public RegisteredState<T> restored(StateMetaInfo metaInfo) {
        RegisteredState<T> state = states.get(metaInfo.getName());
        if (state != null) {
            if (state.kind() != metaInfo.getKind()) {
                throw new StateMigrationException("State '" + metaInfo.getName() + "' is " + state.kind()
                        + " state in one restored snapshot and " + metaInfo.getKind() + " state in another");
            }
            return state;
        }
        boolean eager = storage.needsRestoredSerializers();
        TypeSerializer<?> namespaceSerializer =
                eager ? metaInfo.getNamespaceSerializer().restoreSerializer() : null;
        List<TypeSerializer<?>> valueSerializers = eager ? metaInfo.restoreValueSerializers() : null;
        state = new RegisteredState<>(
                metaInfo.getName(),
                metaInfo.getKind(),
                storage.create(metaInfo.getName(), metaInfo.getKind(), namespaceSerializer, valueSerializers),
                namespaceSerializer,
                valueSerializers,
                metaInfo);
        states.put(metaInfo.getName(), state);
        return state;
    }

    /**
     * Turns a registered keyed state back into restored, unregistered state with its current serializers, keeping
     * the data (see {@link AbstractKeyedStateBackend#treatAsRestored}); nothing for timers or unknown names.
     *
     * @param name the state's name
     */
    public void treatAsRestored(String name) {
        RegisteredState<T> state = states.get(name);
        if (state != null && state.state() != null) {
            state.unregister();
        }
    }

    /**
     * @param name a state's or timer queue's name
     * @return the state or timer queue of that name, or null
     */
    public RegisteredState<T> get(String name) {
        return states.get(name);
    }

    /**
     * @param name a state's name
     * @return the keyed state (not a timer queue) of that name, or null
     */
    public RegisteredState<T> keyed(String name) {
        RegisteredState<T> state = states.get(name);
        return state == null || state.isTimers() ? null : state;
    }

    /** @return every state and timer queue, in registration order */
    public Collection<RegisteredState<T>> all() {
        return Collections.unmodifiableCollection(states.values());
    }

    /** @return whether nothing is registered or restored */
    public boolean isEmpty() {
        return states.isEmpty();
    }

    /** Forgets everything (on close). */
    public void clear() {
        states.clear();
    }

    /**
     * Fails unless {@code kind} is a timer queue's.
     *
     * @param name the name asked for as a timer queue
     * @param kind what is stored under it
     */
    public static void checkTimers(String name, StateKind kind) {
        if (kind != StateKind.TIMERS) {
            throw new IllegalStateException("'" + name + "' is " + kind + " state, not a timer queue");
        }
    }

    /**
     * Fails when a timer queue in use is asked for with another namespace serializer.
     *
     * @param name the queue's name
     * @param registered the serializer it is in use with
     * @param requested the serializer asked for
     */
    public static void checkSameTimerNamespace(String name, TypeSerializer<?> registered, TypeSerializer<?> requested) {
        if (!registered.equals(requested)) {
            throw new IllegalStateException(
                    "Timer queue '" + name + "' uses namespace serializer " + registered + ", not " + requested);
        }
    }

    /**
     * Fails when restored timers cannot be read with a new namespace serializer.
     *
     * @param name the queue's name
     * @param restored the restored queue's meta information
     * @param requested the new namespace serializer
     * @param acceptMigration whether a serializer compatible after migration is enough (stored objects)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void checkRestoredTimerNamespace(
            String name, StateMetaInfo restored, TypeSerializer<?> requested, boolean acceptMigration) {
        TypeSerializerSchemaCompatibility<?> compatibility =
                ((TypeSerializerSnapshot) restored.getNamespaceSerializer()).resolveSchemaCompatibility(requested);
        if (compatibility.isIncompatible()) {
            throw new StateMigrationException("Timer queue '" + name + "': the new namespace serializer is"
                    + " incompatible with the restored timers: " + compatibility.reason());
        }
        if (!acceptMigration && !compatibility.isCompatibleAsIs()) {
            throw new StateMigrationException("Timer queue '" + name + "': the new namespace serializer is not"
                    + " compatible as is with the restored timers: " + compatibility);
        }
    }

    /**
     * Fails when a state is requested again with another type, TTL setting or namespace serializer than it was
     * registered with.
     */
    static void checkSameRegistration(
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
}

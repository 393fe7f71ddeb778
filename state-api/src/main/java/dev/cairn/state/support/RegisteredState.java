package dev.cairn.state.support;

import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import java.util.List;

/**
 * One keyed state or timer queue in a {@link KeyedStateRegistry}: where the backend keeps its data (the
 * {@code storage}: a heap table, a RocksDB column family) and what currently describes that data — the serializers
 * of the application's registration, or those of the restored snapshot until the application registers the state
 * again (so unregistered restored state is snapshotted with the serializers that wrote it, never lost).
 *
 * <p>Fields read by asynchronous snapshot parts are volatile; they change only on the task thread.
 *
 * @param <T> the backend's storage of one state
 */
public final class RegisteredState<T> {
    private final String name;
    private final StateKind kind;
    private final T storage;
    private volatile TypeSerializer<?> namespaceSerializer;
    private volatile List<TypeSerializer<?>> valueSerializers;
    private volatile StateMetaInfo restoredMetaInfo;
    private volatile StateDescriptor<?, ?> descriptor;
    private volatile StateTtlConfig ttlConfig;
    private InternalKvState<?> state;

    RegisteredState(
            String name,
            StateKind kind,
            T storage,
            TypeSerializer<?> namespaceSerializer,
            List<TypeSerializer<?>> valueSerializers,
            StateMetaInfo restoredMetaInfo) {
        this.name = name;
        this.kind = kind;
        this.storage = storage;
        this.namespaceSerializer = namespaceSerializer;
        this.valueSerializers = valueSerializers;
        this.restoredMetaInfo = restoredMetaInfo;
    }

    /** @return the state's (or timer queue's) unique name in its backend */
    public String name() {
        return name;
    }

    /** @return what is stored: a kind of keyed state or timers */
    public StateKind kind() {
        return kind;
    }

    /** @return whether this is a timer queue rather than keyed state */
    public boolean isTimers() {
        return kind == StateKind.TIMERS;
    }

    /** @return where the backend keeps this state's data */
    public T storage() {
        return storage;
    }

    /**
     * The serializer of the namespaces of the stored entries (for timers: of the timers' namespaces). For restored
     * state of a backend that stores bytes, created from the snapshot on first use: a backend that never reads
     * the entries (a RocksDB restore, an offline conversion) needs none of the application's classes.
     *
     * @return the namespace serializer
     */
    public TypeSerializer<?> namespaceSerializer() {
        TypeSerializer<?> serializer = namespaceSerializer;
        if (serializer == null) {
            serializer = restoredMetaInfo.getNamespaceSerializer().restoreSerializer();
            namespaceSerializer = serializer;
        }
        return serializer;
    }

    /**
     * The serializers of the stored values, in {@link StateMetaInfo#getValueSerializers()} order; for restored state
     * created on first use, as {@link #namespaceSerializer()}.
     *
     * @return the value serializers
     */
    public List<TypeSerializer<?>> valueSerializers() {
        List<TypeSerializer<?>> serializers = valueSerializers;
        if (serializers == null) {
            serializers = restoredMetaInfo.restoreValueSerializers();
            valueSerializers = serializers;
        }
        return serializers;
    }

    /** @return the restored meta information while the application has not registered the state, else null */
    public StateMetaInfo restoredMetaInfo() {
        return restoredMetaInfo;
    }

    /** @return the descriptor of the application's registration (already transformed for TTL), or null */
    public StateDescriptor<?, ?> descriptor() {
        return descriptor;
    }

    /** @return the TTL of the registered state, or null when it has none or is not registered */
    public StateTtlConfig ttlConfig() {
        return ttlConfig;
    }

    /** @return the backend's state object handed out for the registration, or null */
    public InternalKvState<?> state() {
        return state;
    }

    /** @return what a snapshot records for this state now (see {@link StateMetaInfo#current}) */
    public StateMetaInfo metaInfo() {
        return StateMetaInfo.current(name, kind, descriptor, namespaceSerializer, restoredMetaInfo);
    }

    /**
     * The time-to-live by which a full snapshot leaves out expired entries: the TTL in milliseconds when the
     * registration asks for cleanup in full snapshots, else 0 (write everything).
     *
     * @return the cutoff in milliseconds, or 0
     */
    public long fullSnapshotCleanupTtl() {
        StateTtlConfig ttl = ttlConfig;
        return ttl != null && ttl.getCleanupStrategies().fullSnapshot()
                ? ttl.getTtl().toMillis()
                : 0;
    }

    void register(StateDescriptor<?, ?> newDescriptor, TypeSerializer<?> newNamespaceSerializer, StateTtlConfig ttl) {
        this.descriptor = newDescriptor;
        this.namespaceSerializer = newNamespaceSerializer;
        this.valueSerializers = StateMetaInfo.valueSerializersOf(newDescriptor);
        this.ttlConfig = ttl;
        this.restoredMetaInfo = null;
    }

    void attach(InternalKvState<?> created) {
        this.state = created;
    }

    void registerTimers(TypeSerializer<?> newNamespaceSerializer) {
        this.namespaceSerializer = newNamespaceSerializer;
        this.restoredMetaInfo = null;
    }

    /** Back to restored, unregistered state with the current serializers (see {@link KeyedStateRegistry#treatAsRestored}). */
    void unregister() {
        this.restoredMetaInfo = metaInfo();
        this.ttlConfig = null;
        this.state = null;
    }

    @Override
    public String toString() {
        return kind + " state '" + name + "'";
    }
}

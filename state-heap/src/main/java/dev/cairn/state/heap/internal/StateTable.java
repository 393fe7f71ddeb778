package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.KeyGroupedStateMaps;
import dev.cairn.state.support.SnapshotVersions;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateMetaInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * All entries of one keyed state: one {@link CopyOnWriteStateMap} per key group of the backend's range (the
 * {@link KeyGroupedStateMaps} it extends), plus the serializers that currently describe the state. A table restored from a snapshot but not yet registered by the
 * application keeps the restored serializers and is snapshotted with them, so unregistered state is never lost.
 *
 * @param <K> key type
 * @param <N> namespace type
 * @param <S> stored state type (value, list, map, accumulator)
 */
final class StateTable<K, N, S> extends KeyGroupedStateMaps<K, N, S> {
    private final String name;
    private final StateDescriptor.Type type;
    private volatile TypeSerializer<N> namespaceSerializer;
    private volatile TypeSerializer<S> stateSerializer;
    private volatile List<TypeSerializer<?>> valueSerializers;
    /** Meta information of restored data until the application registers the state; then {@code null}. */
    private StateMetaInfo restoredMetaInfo;

    private StateDescriptor<?, ?> descriptor;
    private volatile StateTtlConfig ttlConfig;

    StateTable(
            String name,
            StateDescriptor.Type type,
            KeyGroupRange range,
            SnapshotVersions versions,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<S> stateSerializer,
            List<TypeSerializer<?>> valueSerializers) {
        super(range, versions);
        this.name = name;
        this.type = type;
        this.namespaceSerializer = namespaceSerializer;
        this.stateSerializer = stateSerializer;
        this.valueSerializers = valueSerializers;
    }

    String getName() {
        return name;
    }

    StateDescriptor.Type getType() {
        return type;
    }

    @Override
    protected TypeSerializer<S> stateSerializer() {
        return stateSerializer;
    }

    TypeSerializer<N> getNamespaceSerializer() {
        return namespaceSerializer;
    }

    TypeSerializer<S> getStateSerializer() {
        return stateSerializer;
    }

    /** The serializers that write the canonical format's value fields ({@link StateMetaInfo} order). */
    List<TypeSerializer<?>> getValueSerializers() {
        return valueSerializers;
    }

    /** The TTL of the registered state, or {@code null}. */
    StateTtlConfig getTtlConfig() {
        return ttlConfig;
    }

    void setTtlConfig(StateTtlConfig config) {
        this.ttlConfig = config;
    }

    StateDescriptor<?, ?> getDescriptor() {
        return descriptor;
    }

    StateMetaInfo getRestoredMetaInfo() {
        return restoredMetaInfo;
    }

    void markRestored(StateMetaInfo metaInfo) {
        this.restoredMetaInfo = metaInfo;
    }

    /** The application registered the state: its serializers describe the data from now on. */
    @SuppressWarnings("unchecked")
    void register(StateDescriptor<?, ?> newDescriptor, TypeSerializer<N> newNamespaceSerializer) {
        this.descriptor = newDescriptor;
        this.namespaceSerializer = newNamespaceSerializer;
        this.stateSerializer = (TypeSerializer<S>) newDescriptor.getSerializer();
        this.valueSerializers = StateMetaInfo.valueSerializersOf(newDescriptor);
        this.restoredMetaInfo = null;
    }

    /** The application (re)attached to this timer table with {@code newNamespaceSerializer}. */
    void registerTimers(TypeSerializer<N> newNamespaceSerializer) {
        this.namespaceSerializer = newNamespaceSerializer;
        this.restoredMetaInfo = null;
    }

    StateMetaInfo metaInfo() {
        return StateMetaInfo.current(name, type, descriptor, namespaceSerializer, restoredMetaInfo);
    }

    /** Replaces every entry's state with {@code transform} of it (through the maps: running snapshots are safe). */
    void transformAll(UnaryOperator<S> transform) {
        for (int keyGroup : range()) {
            CopyOnWriteStateMap<K, N, S> map = mapForKeyGroup(keyGroup);
            List<StateEntry<K, N, S>> entries = new ArrayList<>(map.size());
            map.iterator().forEachRemaining(entries::add);
            for (StateEntry<K, N, S> entry : entries) {
                map.put(entry.key(), entry.namespace(), transform.apply(entry.state()));
            }
        }
    }
}

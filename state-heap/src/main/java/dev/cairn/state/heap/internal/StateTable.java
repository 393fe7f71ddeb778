package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.StateMetaInfo;
import java.util.List;

/**
 * All entries of one keyed state: one {@link CopyOnWriteStateMap} per key group of the backend's range, plus the
 * serializers that currently describe the state. A table restored from a snapshot but not yet registered by the
 * application keeps the restored serializers and is snapshotted with them, so unregistered state is never lost.
 *
 * @param <K> key type
 * @param <N> namespace type
 * @param <S> stored state type (value, list, map, accumulator)
 */
final class StateTable<K, N, S> {
    private final String name;
    private final StateDescriptor.Type type;
    private final KeyGroupRange range;
    private final CopyOnWriteStateMap<K, N, S>[] maps;
    private volatile TypeSerializer<N> namespaceSerializer;
    private volatile TypeSerializer<S> stateSerializer;
    private volatile List<TypeSerializer<?>> valueSerializers;
    /** Meta information of restored data until the application registers the state; then {@code null}. */
    private StateMetaInfo restoredMetaInfo;

    private StateDescriptor<?, ?> descriptor;
    private volatile dev.cairn.state.StateTtlConfig ttlConfig;

    @SuppressWarnings({"unchecked", "rawtypes"})
    StateTable(
            String name,
            StateDescriptor.Type type,
            KeyGroupRange range,
            SnapshotVersions versions,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<S> stateSerializer,
            List<TypeSerializer<?>> valueSerializers) {
        this.name = name;
        this.type = type;
        this.range = range;
        this.namespaceSerializer = namespaceSerializer;
        this.stateSerializer = stateSerializer;
        this.valueSerializers = valueSerializers;
        this.maps = new CopyOnWriteStateMap[range.getNumberOfKeyGroups()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new CopyOnWriteStateMap<>(versions, this::getStateSerializer);
        }
    }

    String getName() {
        return name;
    }

    StateDescriptor.Type getType() {
        return type;
    }

    CopyOnWriteStateMap<K, N, S> mapForKeyGroup(int keyGroup) {
        return maps[keyGroup - range.getStartKeyGroup()];
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
    dev.cairn.state.StateTtlConfig getTtlConfig() {
        return ttlConfig;
    }

    void setTtlConfig(dev.cairn.state.StateTtlConfig config) {
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

    int size() {
        int size = 0;
        for (CopyOnWriteStateMap<K, N, S> map : maps) {
            size += map.size();
        }
        return size;
    }

    /** Captures every key group's bucket array; the snapshot version must have been started just before. */
    StateEntry<K, N, S>[][] snapshotTables() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        StateEntry<K, N, S>[][] tables = new StateEntry[maps.length][];
        for (int i = 0; i < maps.length; i++) {
            tables[i] = maps[i].snapshotTable();
        }
        return tables;
    }
}

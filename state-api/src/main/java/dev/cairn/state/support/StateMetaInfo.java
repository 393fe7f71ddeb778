package dev.cairn.state.support;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSchemaCompatibility;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.internal.ttl.TtlSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a snapshot records about one keyed state or timer queue: its name, kind, and the snapshots of its namespace serializer
 * and value serializers. The value serializers depend on the type: the element serializer for
 * {@link StateDescriptor.Type#LIST}, key and value serializers for {@link StateDescriptor.Type#MAP}, the value
 * (or accumulator) serializer otherwise.
 */
public final class StateMetaInfo {
    private final String name;
    private final StateKind kind;
    private final TypeSerializerSnapshot<?> namespaceSerializer;
    private final List<TypeSerializerSnapshot<?>> valueSerializers;

    /**
     * Meta information as recorded.
     *
     * @param name the state's name
     * @param kind what is stored
     * @param namespaceSerializer the snapshot of the namespace serializer
     * @param valueSerializers the snapshots of the value serializers
     */
    public StateMetaInfo(
            String name,
            StateKind kind,
            TypeSerializerSnapshot<?> namespaceSerializer,
            List<TypeSerializerSnapshot<?>> valueSerializers) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        this.namespaceSerializer = Objects.requireNonNull(namespaceSerializer);
        this.valueSerializers = List.copyOf(valueSerializers);
    }

    /**
     * {@return the meta info of a registered state}
     *
     * @param descriptor the registered descriptor
     * @param namespaceSerializer the registered namespace serializer
     */
    public static StateMetaInfo of(StateDescriptor<?, ?> descriptor, TypeSerializer<?> namespaceSerializer) {
        List<TypeSerializerSnapshot<?>> snapshots = new ArrayList<>();
        for (TypeSerializer<?> serializer : valueSerializersOf(descriptor)) {
            snapshots.add(serializer.snapshotConfiguration());
        }
        return new StateMetaInfo(
                descriptor.getName(),
                StateKind.of(descriptor.getType()),
                namespaceSerializer.snapshotConfiguration(),
                snapshots);
    }

    /**
     * {@return the meta info a snapshot records for a state registered with {@code descriptor}, whose time-to-live
     * setting decides, as a backend's registration does, whether the values are stored as {@link TtlValue}s}
     *
     * @param descriptor the user's descriptor, with or without a TTL configuration
     * @param namespaceSerializer the namespace serializer
     */
    public static StateMetaInfo ofUserDescriptor(
            StateDescriptor<?, ?> descriptor, TypeSerializer<?> namespaceSerializer) {
        StateMetaInfo plain = of(descriptor, namespaceSerializer);
        if (descriptor.getTtlConfig() == null) {
            return plain;
        }
        List<TypeSerializer<?>> values = valueSerializersOf(descriptor);
        return plain.withUserValueSerializer(values.get(values.size() - 1), true);
    }

    /**
     * This state with its user values written by {@code serializer} instead: the value (or accumulator) serializer
     * of value, reducing and aggregating state, the element serializer of list state, the value serializer of map
     * state. A TTL state stays one: the new serializer is wrapped as the old one was.
     *
     * @param serializer the new user value serializer
     * @return the meta info with the new value serializer
     */
    public StateMetaInfo withUserValueSerializer(TypeSerializer<?> serializer) {
        return withUserValueSerializer(serializer, hasTtl());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private StateMetaInfo withUserValueSerializer(TypeSerializer<?> serializer, boolean ttl) {
        List<TypeSerializerSnapshot<?>> values = new ArrayList<>(valueSerializers);
        TypeSerializer<?> stored = ttl ? new TtlSerializer(serializer) : serializer;
        values.set(values.size() - 1, stored.snapshotConfiguration());
        return new StateMetaInfo(name, kind, namespaceSerializer, values);
    }

    /**
     * What a snapshot records for a state now: the restored meta information while the application has not
     * registered the state again, else the registered descriptor's (timer queues have only a namespace serializer).
     *
     * @param name the state's name
     * @param kind what is stored
     * @param descriptor the registered descriptor, or {@code null}
     * @param namespaceSerializer the current namespace serializer
     * @param restored the restored meta information, or {@code null}
     * @return the meta information to record
     */
    public static StateMetaInfo current(
            String name,
            StateKind kind,
            StateDescriptor<?, ?> descriptor,
            TypeSerializer<?> namespaceSerializer,
            StateMetaInfo restored) {
        if (restored != null) {
            return restored;
        }
        return kind == StateKind.TIMERS
                ? new StateMetaInfo(name, kind, namespaceSerializer.snapshotConfiguration(), List.of())
                : of(descriptor, namespaceSerializer);
    }

    /**
     * {@return the serializers that write a state's data in the canonical format, in {@link #getValueSerializers()} order}
     *
     * @param descriptor a descriptor
     */
    public static List<TypeSerializer<?>> valueSerializersOf(StateDescriptor<?, ?> descriptor) {
        switch (descriptor.getType()) {
            case LIST:
                return List.of(((ListStateDescriptor<?>) descriptor).getElementSerializer());
            case MAP:
                MapStateDescriptor<?, ?> map = (MapStateDescriptor<?, ?>) descriptor;
                return List.of(map.getKeySerializer(), map.getValueSerializer());
            default:
                return List.of(descriptor.getSerializer());
        }
    }

    /** {@return the state's name} */
    public String getName() {
        return name;
    }

    /** {@return what is stored} */
    public StateKind getKind() {
        return kind;
    }

    /** {@return the snapshot of the namespace serializer} */
    public TypeSerializerSnapshot<?> getNamespaceSerializer() {
        return namespaceSerializer;
    }

    /** {@return the snapshots of the value serializers} */
    public List<TypeSerializerSnapshot<?>> getValueSerializers() {
        return valueSerializers;
    }

    /**
     * Writes name, kind and serializer snapshots (the layout of the canonical format's header, {@code
     * docs/format.md}).
     *
     * @param out where to write
     * @throws IOException when the output fails
     */
    public void write(DataOutput out) throws IOException {
        out.writeUTF(name);
        out.writeByte(kind.ordinal());
        TypeSerializerSnapshot.writeVersionedSnapshot(out, namespaceSerializer);
        out.writeInt(valueSerializers.size());
        for (TypeSerializerSnapshot<?> snapshot : valueSerializers) {
            TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws CorruptCheckpointException naming {@code source} for an unknown state type
     * @param in where to read from
     * @param classLoader loads the serializer snapshots' classes
     * @param source names the input in errors
     * @return the meta information
     * @throws IOException when the input fails
     */
    public static StateMetaInfo read(DataInput in, ClassLoader classLoader, String source) throws IOException {
        String name = in.readUTF();
        int type = in.readUnsignedByte();
        StateKind[] types = StateKind.values();
        if (type >= types.length) {
            throw new CorruptCheckpointException("Unknown state type " + type + " in " + source);
        }
        TypeSerializerSnapshot<?> namespace = TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader);
        int count = in.readInt();
        if (count < 0 || count > 16) {
            throw new CorruptCheckpointException(
                    "Invalid serializer count " + count + " of state '" + name + "' in " + source);
        }
        List<TypeSerializerSnapshot<?>> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader));
        }
        return new StateMetaInfo(name, types[type], namespace, values);
    }

    /**
     * Whether the state was written with a time-to-live: its values are then {@link TtlValue}s (for list state its
     * elements, for map state its map values) with the time of their last write.
     *
     * @return whether the values carry TTL timestamps
     */
    public boolean hasTtl() {
        return !valueSerializers.isEmpty()
                && valueSerializers.get(valueSerializers.size() - 1) instanceof TtlSerializer.Snapshot<?>;
    }

    /**
     * Serializers that read this state's restored data.
     *
     * @return one serializer per value serializer snapshot
     */
    public List<TypeSerializer<?>> restoreValueSerializers() {
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (TypeSerializerSnapshot<?> snapshot : valueSerializers) {
            serializers.add(snapshot.restoreSerializer());
        }
        return serializers;
    }

    /**
     * How a restored state's data relates to a new registration.
     *
     * @param serializers the combined compatibility of the namespace and value serializers (for a TTL change, of
     *     the user value serializers inside the {@link TtlSerializer})
     * @param ttlChange whether TTL was switched on or off
     */
    public record Compatibility(TypeSerializerSchemaCompatibility<?> serializers, TtlChange ttlChange) {
        /** {@return whether stored values must be rewritten: serializer migration or a TTL change} */
        public boolean needsMigration() {
            return ttlChange != TtlChange.NONE || !serializers.isCompatibleAsIs();
        }
    }

    /**
     * Checks that {@code descriptor} (for a TTL-enabled state, its internal descriptor) and {@code
     * namespaceSerializer} can take over this restored state. Switching TTL on or off is allowed, as in Flink 2.x:
     * the user value serializers are compared inside the {@link TtlSerializer} and the result says how to convert.
     *
     * @return the combined compatibility (as is, or after migration) and the TTL change
     * @throws StateMigrationException naming the state when the type differs or a serializer is incompatible
     * @param descriptor the new registration's descriptor
     * @param newNamespaceSerializer the new namespace serializer
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Compatibility checkCompatibility(
            StateDescriptor<?, ?> descriptor, TypeSerializer<?> newNamespaceSerializer) {
        if (StateKind.of(descriptor.getType()) != kind) {
            throw new StateMigrationException("State '" + name + "' was restored as " + kind
                    + " state but is now registered as " + descriptor.getType() + " state");
        }
        boolean restoredWithTtl = valueSerializers.stream().anyMatch(s -> s instanceof TtlSerializer.Snapshot);
        List<TypeSerializer<?>> newSerializers = valueSerializersOf(descriptor);
        boolean registeredWithTtl = newSerializers.stream().anyMatch(s -> s instanceof TtlSerializer);
        TtlChange ttlChange = restoredWithTtl == registeredWithTtl
                ? TtlChange.NONE
                : (registeredWithTtl ? TtlChange.ENABLED : TtlChange.DISABLED);
        TypeSerializerSchemaCompatibility<?> result =
                ((TypeSerializerSnapshot) namespaceSerializer).resolveSchemaCompatibility(newNamespaceSerializer);
        if (result.isIncompatible()) {
            throw new StateMigrationException(
                    "State '" + name + "': the new namespace serializer is incompatible: " + result.reason());
        }
        for (int i = 0; i < newSerializers.size(); i++) {
            TypeSerializerSnapshot restored = valueSerializers.get(i);
            TypeSerializer registered = newSerializers.get(i);
            if (ttlChange != TtlChange.NONE) {
                // Compare what the user serializers hold; the TTL wrapper itself is converted, not migrated.
                if (restored instanceof TtlSerializer.Snapshot ttlSnapshot) {
                    restored = ttlSnapshot.getUserSnapshot();
                }
                if (registered instanceof TtlSerializer ttlSerializer) {
                    registered = ttlSerializer.getUserSerializer();
                }
            }
            TypeSerializerSchemaCompatibility<?> c = restored.resolveSchemaCompatibility(registered);
            if (c.isIncompatible()) {
                throw new StateMigrationException("State '" + name
                        + "': the new serializer is incompatible with the restored data: " + c.reason());
            }
            result = result.and(c);
        }
        return new Compatibility(result, ttlChange);
    }

    @Override
    public String toString() {
        return kind + " state '" + name + "'";
    }
}

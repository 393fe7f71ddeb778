package dev.cairn.state;

import java.util.Map;

/**
 * Describes a {@link MapState}.
 *
 * @param <K> the map key type
 * @param <V> the map value type
 */
public final class MapStateDescriptor<K, V> extends StateDescriptor<MapState<K, V>, Map<K, V>> {
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    public MapStateDescriptor(String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        super(name, Serializers.mapOf(keySerializer, valueSerializer));
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
    }

    /** Serializer of the map keys. */
    public TypeSerializer<K> getKeySerializer() {
        return keySerializer;
    }

    /** Serializer of the map values. */
    public TypeSerializer<V> getValueSerializer() {
        return valueSerializer;
    }

    @Override
    public Type getType() {
        return Type.MAP;
    }
}

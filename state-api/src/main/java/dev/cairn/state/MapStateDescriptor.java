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

    /**
     * Describes map state {@code name}.
     *
     * @param name the state's unique name in its backend
     * @param keySerializer the serializer of the user keys
     * @param valueSerializer the serializer of the user values
     */
    public MapStateDescriptor(String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        super(name, Serializers.mapOf(keySerializer, valueSerializer));
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
    }

    /**
     * Serializer of the map keys.
     *
     * @return the serializer of the user keys
     */
    public TypeSerializer<K> getKeySerializer() {
        return keySerializer;
    }

    /**
     * Serializer of the map values.
     *
     * @return the serializer of the user values
     */
    public TypeSerializer<V> getValueSerializer() {
        return valueSerializer;
    }

    @Override
    public Type getType() {
        return Type.MAP;
    }
}

package dev.cairn.state.internal.serializers;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Serializes a {@code Map<K, V>} (as a {@link HashMap}); values may be {@code null}, keys may not. */
public final class MapSerializer<K, V> extends TypeSerializer<Map<K, V>> {
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    public MapSerializer(TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        this.keySerializer = Objects.requireNonNull(keySerializer);
        this.valueSerializer = Objects.requireNonNull(valueSerializer);
    }

    public TypeSerializer<K> keySerializer() {
        return keySerializer;
    }

    public TypeSerializer<V> valueSerializer() {
        return valueSerializer;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Map<K, V> copy(Map<K, V> from) {
        Map<K, V> copy = new HashMap<>(Math.max(16, (int) (from.size() / 0.75f) + 1));
        for (Map.Entry<K, V> e : from.entrySet()) {
            V value = e.getValue();
            copy.put(keySerializer.copy(e.getKey()), value == null ? null : valueSerializer.copy(value));
        }
        return copy;
    }

    @Override
    public void serialize(Map<K, V> value, DataOutput out) throws IOException {
        VarInts.write(out, value.size());
        for (Map.Entry<K, V> e : value.entrySet()) {
            keySerializer.serialize(e.getKey(), out);
            if (e.getValue() == null) {
                out.writeBoolean(true);
            } else {
                out.writeBoolean(false);
                valueSerializer.serialize(e.getValue(), out);
            }
        }
    }

    @Override
    public Map<K, V> deserialize(DataInput in) throws IOException {
        int size = VarInts.read(in);
        Map<K, V> map = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
        for (int i = 0; i < size; i++) {
            K key = keySerializer.deserialize(in);
            map.put(key, in.readBoolean() ? null : valueSerializer.deserialize(in));
        }
        return map;
    }

    @Override
    public TypeSerializerSnapshot<Map<K, V>> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapSerializer
                && ((MapSerializer<?, ?>) o).keySerializer.equals(keySerializer)
                && ((MapSerializer<?, ?>) o).valueSerializer.equals(valueSerializer);
    }

    @Override
    public int hashCode() {
        return keySerializer.hashCode() * 31 + valueSerializer.hashCode();
    }

    @Override
    public String toString() {
        return "MapSerializer(" + keySerializer + ", " + valueSerializer + ")";
    }

    /** Snapshot of a {@link MapSerializer}. */
    public static final class Snapshot<K, V> extends CompositeSerializerSnapshot<Map<K, V>, MapSerializer<K, V>> {
        public Snapshot() {}

        Snapshot(MapSerializer<K, V> serializer) {
            super(List.of(serializer.keySerializer, serializer.valueSerializer));
        }

        @Override
        protected Class<?> serializerClass() {
            return MapSerializer.class;
        }

        @Override
        protected List<TypeSerializer<?>> nestedSerializers(MapSerializer<K, V> serializer) {
            return List.of(serializer.keySerializer, serializer.valueSerializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected MapSerializer<K, V> createSerializer(List<TypeSerializer<?>> nested) {
            return new MapSerializer<>((TypeSerializer<K>) nested.get(0), (TypeSerializer<V>) nested.get(1));
        }
    }
}

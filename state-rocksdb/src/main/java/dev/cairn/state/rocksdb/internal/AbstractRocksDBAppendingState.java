package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.RegisteredState;
import java.util.Collection;
import org.rocksdb.ColumnFamilyHandle;

/**
 * Reducing and aggregating state: one serialized value per entry (the reduced value or the accumulator), merged
 * across namespaces with Flink's heap semantics — sources read, deleted and combined in order, then combined into
 * the target's value (target first).
 *
 * @param <SV> the stored value type
 */
abstract class AbstractRocksDBAppendingState<K, N, SV> extends AbstractRocksDBState<K, N>
        implements InternalAppendingState<SV>, InternalMergingState<N> {

    AbstractRocksDBAppendingState(RocksDBStateAccess<K> access, RegisteredState<ColumnFamilyHandle> state) {
        super(access, state);
    }

    @SuppressWarnings("unchecked")
    protected final TypeSerializer<SV> serializer() {
        return (TypeSerializer<SV>) state.valueSerializers().get(0);
    }

    /** Combines two stored values; {@code null} means nothing remains (every TTL value expired). */
    protected abstract SV mergeState(SV a, SV b);

    private SV read(byte[] key) {
        byte[] bytes = get(key);
        return bytes == null ? null : Bytes.deserialize(serializer(), bytes, 0, bytes.length, state.name());
    }

    @Override
    public SV getInternal() {
        return read(entryKey());
    }

    @Override
    public void updateInternal(SV value) {
        if (value == null) {
            clear();
        } else {
            put(entryKey(), Bytes.serialize(serializer(), value, valueBuffer, state.name()));
        }
    }

    @Override
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        SV merged = null;
        for (N source : sources) {
            if (source == null) {
                continue;
            }
            byte[] sourceKey = entryKeyIn(source);
            SV value = read(sourceKey);
            if (value != null) {
                delete(sourceKey);
            }
            if (merged != null && value != null) {
                merged = mergeState(merged, value);
            } else if (merged == null) {
                merged = value;
            }
        }
        if (merged != null) {
            byte[] targetKey = entryKeyIn(target);
            SV current = read(targetKey);
            SV result = current == null ? merged : mergeState(current, merged);
            if (result == null) {
                delete(targetKey);
            } else {
                put(targetKey, Bytes.serialize(serializer(), result, valueBuffer, state.name()));
            }
        }
    }
}

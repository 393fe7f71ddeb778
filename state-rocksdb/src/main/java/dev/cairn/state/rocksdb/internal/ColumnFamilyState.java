package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.support.StateMetaInfo;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family and what currently describes its bytes: the serializers of the registered
 * descriptor, or of the restored snapshot until the application registers the state again.
 */
final class ColumnFamilyState {
    final String name;
    final StateDescriptor.Type type;
    final ColumnFamilyHandle handle;
    volatile TypeSerializer<?> namespaceSerializer;
    volatile List<TypeSerializer<?>> valueSerializers;
    volatile StateMetaInfo restoredMetaInfo;
    volatile StateDescriptor<?, ?> descriptor;
    volatile StateTtlConfig ttlConfig;

    ColumnFamilyState(
            String name,
            StateDescriptor.Type type,
            ColumnFamilyHandle handle,
            TypeSerializer<?> namespaceSerializer,
            List<TypeSerializer<?>> valueSerializers) {
        this.name = name;
        this.type = type;
        this.handle = handle;
        this.namespaceSerializer = namespaceSerializer;
        this.valueSerializers = valueSerializers;
    }

    StateMetaInfo metaInfo() {
        return StateMetaInfo.current(name, type, descriptor, namespaceSerializer, restoredMetaInfo);
    }
}

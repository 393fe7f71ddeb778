package dev.cairn.state;

import java.util.List;

/**
 * Describes a {@link ListState}.
 *
 * @param <T> the element type
 */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>, List<T>> {
    private final TypeSerializer<T> elementSerializer;

    public ListStateDescriptor(String name, TypeSerializer<T> elementSerializer) {
        super(name, Serializers.listOf(elementSerializer));
        this.elementSerializer = elementSerializer;
    }

    /** Serializer of one element. */
    public TypeSerializer<T> getElementSerializer() {
        return elementSerializer;
    }

    @Override
    public Type getType() {
        return Type.LIST;
    }
}

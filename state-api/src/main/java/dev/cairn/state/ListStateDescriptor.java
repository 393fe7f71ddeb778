package dev.cairn.state;

import java.util.List;

/**
 * Describes a {@link ListState}.
 *
 * @param <T> the element type
 */
public final class ListStateDescriptor<T> extends StateDescriptor<ListState<T>, List<T>> {
    private final TypeSerializer<T> elementSerializer;

    /**
     * Describes list state {@code name}.
     *
     * @param name the state's unique name in its backend
     * @param elementSerializer the serializer of one element
     */
    public ListStateDescriptor(String name, TypeSerializer<T> elementSerializer) {
        super(name, Serializers.listOf(elementSerializer));
        this.elementSerializer = elementSerializer;
    }

    /**
     * Serializer of one element.
     *
     * @return the serializer of one element
     */
    public TypeSerializer<T> getElementSerializer() {
        return elementSerializer;
    }

    @Override
    public Type getType() {
        return Type.LIST;
    }
}

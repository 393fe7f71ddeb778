package dev.cairn.changelog.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueState;
import dev.cairn.state.spi.InternalKvState;

/** Records {@code update} as SET and {@code clear} as CLEAR. */
public final class ChangelogValueState<N, T> extends AbstractChangelogState<N> implements ValueState<T> {
    private final TypeSerializer<T> serializer;
    private final ValueState<T> values;

    @SuppressWarnings("unchecked")
    public ChangelogValueState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<T> serializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, inner);
        this.serializer = serializer;
        this.values = (ValueState<T>) inner;
    }

    @Override
    public T value() {
        return values.value();
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
            return;
        }
        values.update(value);
        payload();
        writeField(serializer, value);
        record(ChangeFormat.SET);
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.ValueState;

/** Records {@code update} as SET and {@code clear} as CLEAR. */
public final class ChangelogValueState<N, T> extends AbstractChangelogState<N, ValueState<T>> implements ValueState<T> {
    private final TypeSerializer<T> serializer;

    public ChangelogValueState(
            ChangeContext context, int stateId, TypeSerializer<N> namespaceSerializer, TypeSerializer<T> serializer) {
        super(context, stateId, namespaceSerializer);
        this.serializer = serializer;
    }

    @Override
    public T value() {
        return inner.value();
    }

    @Override
    public void update(T value) {
        if (value == null) {
            clear();
            return;
        }
        inner.update(value);
        payload();
        writeField(serializer, value);
        record(ChangeFormat.SET);
    }
}

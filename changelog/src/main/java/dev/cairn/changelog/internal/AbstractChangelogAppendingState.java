package dev.cairn.changelog.internal;

import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalAppendingState;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;
import java.util.Collection;

/**
 * Reducing and aggregating state: every change of the stored value (the reduced value, the accumulator) is recorded
 * as SET of the new value (or CLEAR), so replaying needs no user function. A namespace merge runs in the wrapped
 * backend (with the state's function) and is recorded as CLEAR of every source and SET of the target's result.
 *
 * @param <N> namespace type
 * @param <SV> stored value type
 */
abstract class AbstractChangelogAppendingState<N, SV> extends AbstractChangelogState<N>
        implements InternalAppendingState<SV>, InternalMergingState<N> {
    private final TypeSerializer<SV> serializer;

    AbstractChangelogAppendingState(
            ChangeContext context,
            int stateId,
            TypeSerializer<N> namespaceSerializer,
            TypeSerializer<SV> serializer,
            InternalKvState<N> inner) {
        super(context, stateId, namespaceSerializer, inner);
        this.serializer = serializer;
    }

    @SuppressWarnings("unchecked")
    private InternalAppendingState<SV> stored() {
        return (InternalAppendingState<SV>) inner;
    }

    @Override
    public SV getInternal() {
        return stored().getInternal();
    }

    @Override
    public void updateInternal(SV value) {
        stored().updateInternal(value);
        if (value == null) {
            recordWithoutPayload(ChangeFormat.CLEAR);
        } else {
            payload();
            writeField(serializer, value);
            record(ChangeFormat.SET);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void mergeNamespaces(N target, Collection<N> sources) {
        if (sources == null || sources.isEmpty()) {
            return;
        }
        ((InternalMergingState<N>) inner).mergeNamespaces(target, sources);
        for (N source : sources) {
            if (source != null) {
                recordWithoutPayloadIn(serializeNamespace(source), ChangeFormat.CLEAR);
            }
        }
        N current = currentNamespace();
        inner.setCurrentNamespace(target);
        SV merged;
        try {
            merged = stored().getInternal();
        } finally {
            inner.setCurrentNamespace(current);
        }
        byte[] targetBytes = serializeNamespace(target);
        if (merged == null) {
            recordWithoutPayloadIn(targetBytes, ChangeFormat.CLEAR);
        } else {
            payload();
            writeField(serializer, merged);
            recordIn(targetBytes, ChangeFormat.SET);
        }
    }
}

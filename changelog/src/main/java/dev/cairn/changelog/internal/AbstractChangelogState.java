package dev.cairn.changelog.internal;

import dev.cairn.state.State;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.DataOutputSerializer;
import java.io.IOException;
import java.util.Objects;

/**
 * A state of the wrapped backend that records every change it makes: the wrapped state is changed first (so a
 * change it rejects is not recorded), then the change is appended to the writer.
 *
 * @param <N> namespace type
 * @param <S> the wrapped state's type
 */
public abstract class AbstractChangelogState<N, S extends State> implements State {
    protected final ChangeContext context;
    protected final int stateId;
    protected final TypeSerializer<N> namespaceSerializer;
    protected final DataOutputSerializer payload = new DataOutputSerializer(64);
    protected final DataOutputSerializer scratch = new DataOutputSerializer(64);
    protected S inner;
    private N namespace;
    private byte[] namespaceBytes;

    protected AbstractChangelogState(ChangeContext context, int stateId, TypeSerializer<N> namespaceSerializer) {
        this.context = context;
        this.stateId = stateId;
        this.namespaceSerializer = namespaceSerializer;
    }

    /** Points the wrapper at the wrapped state object for {@code namespace} (the backend set its namespace). */
    @SuppressWarnings("unchecked")
    public final void bind(State wrapped, N newNamespace) {
        this.inner = (S) wrapped;
        if (!Objects.equals(newNamespace, namespace) || namespaceBytes == null) {
            namespace = newNamespace;
            try {
                scratch.clear();
                namespaceSerializer.serialize(newNamespace, scratch);
                namespaceBytes = scratch.toByteArray();
            } catch (IOException e) {
                throw new StateBackendException("Cannot serialize namespace " + newNamespace, e);
            }
        }
    }

    /** Starts a payload; write it with the {@code ChangeFormat} helpers, then {@link #record}. */
    protected final DataOutputSerializer payload() {
        payload.clear();
        return payload;
    }

    protected final void record(byte op) {
        context.writer()
                .append(stateId, context.currentKeyGroup(), op, context.currentKeyBytes(), namespaceBytes, payload);
    }

    protected final void recordWithoutPayload(byte op) {
        context.writer()
                .append(stateId, context.currentKeyGroup(), op, context.currentKeyBytes(), namespaceBytes, null);
    }

    protected final <T> void writeField(TypeSerializer<T> serializer, T value) {
        try {
            ChangeFormat.writeField(payload, scratch, serializer, value);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a change: serializing " + value + " failed", e);
        }
    }

    protected final void writeCount(int count) {
        try {
            payload.writeVarInt(count);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a change", e);
        }
    }

    protected final void writeFlag(boolean flag) {
        try {
            payload.writeBoolean(flag);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a change", e);
        }
    }

    @Override
    public void clear() {
        inner.clear();
        recordWithoutPayload(ChangeFormat.CLEAR);
    }
}

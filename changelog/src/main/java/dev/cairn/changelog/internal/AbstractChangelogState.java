package dev.cairn.changelog.internal;

import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import java.util.Objects;

/**
 * A state of the wrapped backend that records every change it makes: the wrapped state is changed first (so a
 * change it rejects is not recorded), then the change is appended to the writer, under the namespace set last with
 * {@link #setCurrentNamespace} — which sets the wrapped state's namespace too, so both always agree.
 *
 * @param <N> namespace type
 */
public abstract class AbstractChangelogState<N> implements InternalKvState<N> {
    protected final ChangeContext context;
    protected final int stateId;
    protected final TypeSerializer<N> namespaceSerializer;
    protected final DataOutputSerializer payload = new DataOutputSerializer(64);
    protected final DataOutputSerializer scratch = new DataOutputSerializer(64);
    protected final InternalKvState<N> inner;
    private N namespace;
    private byte[] namespaceBytes;

    protected AbstractChangelogState(
            ChangeContext context, int stateId, TypeSerializer<N> namespaceSerializer, InternalKvState<N> inner) {
        this.context = context;
        this.stateId = stateId;
        this.namespaceSerializer = namespaceSerializer;
        this.inner = inner;
    }

    @Override
    public final void setCurrentNamespace(N newNamespace) {
        inner.setCurrentNamespace(newNamespace);
        if (namespaceBytes == null || !Objects.equals(newNamespace, namespace)) {
            namespaceBytes = serializeNamespace(newNamespace);
            namespace = newNamespace;
        }
    }

    /** The current namespace. */
    protected final N currentNamespace() {
        return namespace;
    }

    protected final byte[] serializeNamespace(N value) {
        try {
            scratch.clear();
            namespaceSerializer.serialize(value, scratch);
            return scratch.toByteArray();
        } catch (IOException e) {
            throw new StateBackendException("Cannot serialize namespace " + value, e);
        }
    }

    /** Starts a payload; write it with the {@code ChangeFormat} helpers, then {@link #record}. */
    protected final DataOutputSerializer payload() {
        payload.clear();
        return payload;
    }

    protected final void record(byte op) {
        recordIn(namespaceBytes, op);
    }

    /** Records {@code op} with the current payload for the current key in the namespace serialized as given. */
    protected final void recordIn(byte[] namespace, byte op) {
        DataOutputSerializer key = context.currentKey();
        context.writer()
                .append(
                        stateId,
                        context.currentKeyGroup(),
                        op,
                        key.getSharedBuffer(),
                        key.length(),
                        namespace,
                        payload);
    }

    protected final void recordWithoutPayload(byte op) {
        recordWithoutPayloadIn(namespaceBytes, op);
    }

    protected final void recordWithoutPayloadIn(byte[] namespace, byte op) {
        DataOutputSerializer key = context.currentKey();
        context.writer()
                .append(stateId, context.currentKeyGroup(), op, key.getSharedBuffer(), key.length(), namespace, null);
    }

    protected final <T> void writeField(TypeSerializer<T> serializer, T value) {
        try {
            ChangeFormat.writeField(payload, scratch, serializer, value);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a change: serializing " + value + " failed", e);
        }
    }

    protected final void writeBytesField(byte[] bytes) {
        try {
            ChangeFormat.writeField(payload, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a change", e);
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

package dev.cairn.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Turns values of one type into bytes and back, and describes itself with a {@link TypeSerializerSnapshot} that
 * is written into every snapshot so that a restore can check compatibility.
 *
 * <p>Built-in serializers come from {@link Serializers}.
 *
 * <p><b>Caveats:</b> a serializer is used concurrently by the task thread and snapshot threads, so it must be
 * thread-safe (stateless, or with thread-safe internals). {@link #deserialize} must read exactly the bytes
 * {@link #serialize} wrote.
 *
 * @param <T> the type it serializes
 */
public abstract class TypeSerializer<T> {

    /**
     * Whether values of this type can never change after construction. The heap backend skips defensive copies
     * while a snapshot runs for immutable types.
     */
    public abstract boolean isImmutableType();

    /** A deep copy of {@code from}; may return {@code from} itself for immutable types. */
    public abstract T copy(T from);

    /** Writes {@code value} (never {@code null} unless the serializer documents null support). */
    public abstract void serialize(T value, DataOutput out) throws IOException;

    /** Reads one value written by {@link #serialize}. */
    public abstract T deserialize(DataInput in) throws IOException;

    /** Describes this serializer's format and configuration for storing in snapshots. */
    public abstract TypeSerializerSnapshot<T> snapshotConfiguration();

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

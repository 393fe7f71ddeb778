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
     *
     * @return whether values never change after creation, so {@link #copy} may return its argument
     */
    public abstract boolean isImmutableType();

    /**
     * {@return a deep copy of {@code from}; may return {@code from} itself for immutable types}
     *
     * @param from the value to copy
     */
    public abstract T copy(T from);

    /**
     * Writes {@code value} (never {@code null} unless the serializer documents null support).
     *
     * @param value the value to write
     * @param out where to write it
     * @throws IOException when the output fails
     */
    public abstract void serialize(T value, DataOutput out) throws IOException;

    /**
     * Reads one value written by {@link #serialize}.
     *
     * @param in where to read from
     * @return the value
     * @throws IOException when the input fails or holds no valid value
     */
    public abstract T deserialize(DataInput in) throws IOException;

    /**
     * Describes this serializer's format and configuration for storing in snapshots.
     *
     * @return the snapshot to store with state this serializer wrote
     */
    public abstract TypeSerializerSnapshot<T> snapshotConfiguration();

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

package dev.cairn.state.spi;

/**
 * The outcome of a snapshot's asynchronous part.
 *
 * @param <T> the handle type
 */
public final class SnapshotResult<T> {
    private static final SnapshotResult<?> EMPTY = new SnapshotResult<>(null);
    private final T handle;

    private SnapshotResult(T handle) {
        this.handle = handle;
    }

    /**
     * A result holding {@code handle}.
     *
     * @param handle the handle, or {@code null} for no state
     * @param <T> the handle type
     * @return the result ({@link #empty()} for {@code null})
     */
    public static <T> SnapshotResult<T> of(T handle) {
        return handle == null ? empty() : new SnapshotResult<>(handle);
    }

    /**
     * The result of a snapshot without state.
     *
     * @param <T> the handle type
     * @return the empty result
     */
    @SuppressWarnings("unchecked")
    public static <T> SnapshotResult<T> empty() {
        return (SnapshotResult<T>) EMPTY;
    }

    /**
     * The handle to store in the checkpoint.
     *
     * @return the handle, or {@code null} when there was no state to write
     */
    public T getHandle() {
        return handle;
    }

    /**
     * Whether there was no state to write.
     *
     * @return whether the handle is {@code null}
     */
    public boolean isEmpty() {
        return handle == null;
    }

    @Override
    public String toString() {
        return "SnapshotResult{" + handle + "}";
    }
}

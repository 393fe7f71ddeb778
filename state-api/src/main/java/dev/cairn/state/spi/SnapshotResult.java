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

    public static <T> SnapshotResult<T> of(T handle) {
        return handle == null ? empty() : new SnapshotResult<>(handle);
    }

    @SuppressWarnings("unchecked")
    public static <T> SnapshotResult<T> empty() {
        return (SnapshotResult<T>) EMPTY;
    }

    /** The handle to store in the checkpoint, or {@code null} when there was no state to write. */
    public T getHandle() {
        return handle;
    }

    public boolean isEmpty() {
        return handle == null;
    }

    @Override
    public String toString() {
        return "SnapshotResult{" + handle + "}";
    }
}

package dev.cairn.checkpoint;

/**
 * A process's claim to be the only writer of one job's checkpoint directory. While a lease is held, another
 * process acquiring it fails with {@link CheckpointOwnershipException}; the holder renews it in the background and
 * checks it ({@link #checkOwned()}) before it completes a checkpoint or deletes anything, so that a process that
 * lost the lease (paused for longer than the timeout while another took over) cannot overwrite or delete what
 * the new owner wrote.
 *
 * <p>Epochs increase with every owner: a fencing token for systems outside the directory.
 */
public interface OwnershipLease extends AutoCloseable {

    /** {@return this owner's epoch, higher than every earlier owner's; {@code 0} for the unowned lease} */
    long epoch();

    /**
     * Confirms against the storage that this process still holds the lease.
     *
     * @throws CheckpointOwnershipException naming the directory and the new owner when another process took it
     */
    void checkOwned();

    /** Releases the lease (the next process takes it over at once); idempotent. */
    @Override
    void close();

    /** {@return the lease of storages no other process can see (in memory): always held} */
    static OwnershipLease unowned() {
        return new OwnershipLease() {
            @Override
            public long epoch() {
                return 0;
            }

            @Override
            public void checkOwned() {}

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "no ownership lease";
            }
        };
    }
}

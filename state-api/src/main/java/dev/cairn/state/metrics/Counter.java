package dev.cairn.state.metrics;

/** A count that only goes up (checkpoints completed, uploads failed, …), counted since it was registered. */
public interface Counter {
    /** Adds one. */
    default void increment() {
        increment(1);
    }

    /**
     * Adds {@code amount}.
     *
     * @param amount what to add, not negative
     */
    void increment(long amount);

    /** {@return the count so far} */
    long count();
}

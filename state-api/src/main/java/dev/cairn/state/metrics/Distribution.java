package dev.cairn.state.metrics;

/** Amounts of an event that happens now and then (a checkpoint's size, an upload's bytes); reporters aggregate them. */
public interface Distribution {
    /**
     * Records one event's amount.
     *
     * @param amount the amount, in the distribution's base unit
     */
    void record(double amount);
}

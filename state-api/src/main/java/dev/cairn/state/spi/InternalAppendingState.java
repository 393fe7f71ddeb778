package dev.cairn.state.spi;

/**
 * Direct access to what a reducing or aggregating state stores for the current key and namespace: the reduced
 * value, or the accumulator. Wrapping backends (the changelog) record and replay that stored value instead of the
 * inputs, so replaying needs no user function.
 *
 * @param <SV> the stored value type (the value of a reducing state, the accumulator of an aggregating state)
 */
public interface InternalAppendingState<SV> {
    /**
     * The stored value.
     *
     * @return the value, or {@code null} when there is none
     */
    SV getInternal();

    /**
     * Replaces the stored value.
     *
     * @param value the new stored value; {@code null} removes it
     */
    void updateInternal(SV value);
}

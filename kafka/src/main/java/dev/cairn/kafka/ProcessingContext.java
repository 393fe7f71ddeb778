package dev.cairn.kafka;

import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import org.apache.kafka.common.TopicPartition;

/**
 * The keyed state and the output of the input partition a record came from. Each input partition has its own
 * state, checkpointed with the offset of the next record to read; it moves with the partition when the consumer
 * group rebalances.
 *
 * @param <K> the key type
 * @param <OK> the output key type
 * @param <OV> the output value type
 */
public interface ProcessingContext<K, OK, OV> {
    /**
     * The state of the current record's key.
     *
     * @param descriptor the state's descriptor
     * @param <S> the state type
     * @return the state, scoped to the record's key
     */
    <S extends State> S getState(StateDescriptor<S, ?> descriptor);

    /** {@return the partition's keyed state store, for what {@link #getState} does not cover (e.g. all keys)} */
    KeyedStateStore<K> keyedState();

    /**
     * Sends a record to the output topic. It is flushed before the checkpoint that covers the input record
     * completes (at-least-once: never lost, possibly repeated after a failure).
     *
     * @param key the output key
     * @param value the output value
     * @throws IllegalStateException when the consumer has no output topic
     */
    void emit(OK key, OV value);

    /** {@return the timers of the current key (fired through the builder's {@code onTimer} processor)} */
    Timers timers();

    /** {@return the input partition of the current record or timer} */
    TopicPartition partition();
}

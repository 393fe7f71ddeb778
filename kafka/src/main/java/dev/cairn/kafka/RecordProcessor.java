package dev.cairn.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the application does with one input record: read and update the keyed state of the record's key through
 * the context, and emit output records.
 *
 * @param <K> the input key type (the state's key type)
 * @param <V> the input value type
 * @param <OK> the output key type
 * @param <OV> the output value type
 */
@FunctionalInterface
public interface RecordProcessor<K, V, OK, OV> {
    /**
     * Processes one record; its key is the current key of the keyed state when this is called.
     *
     * @param record the input record
     * @param context the record's keyed state and the output
     * @throws Exception to stop processing: the consumer fails and nothing after the last checkpoint counts
     */
    void process(ConsumerRecord<K, V> record, ProcessingContext<K, OK, OV> context) throws Exception;
}

package dev.cairn.state;

/**
 * Non-keyed state of one operator instance (sources' offsets, sinks' pending transactions, broadcast rules).
 * Redistributed when the parallelism changes: see each method.
 */
public interface OperatorStateStore {
    /**
     * List state redistributed by <em>even split</em>: on restore the elements of all instances are concatenated
     * and divided into contiguous, nearly equal parts, one per new instance.
     *
     * @param <T> the element type
     * @param descriptor names the state and its element serializer
     * @return the list state
     */
    <T> ListState<T> getListState(ListStateDescriptor<T> descriptor);

    /**
     * {@return list state redistributed by <em>union</em>: on restore every instance gets all elements of all instances}
     *
     * @param <T> the element type
     * @param descriptor names the state and its element serializer
     */
    <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor);

    /**
     * Broadcast state: a map every instance holds the same copy of (the application keeps them equal); on
     * restore each new instance gets one old instance's copy.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @param descriptor names the state and its serializers
     * @return the broadcast state
     */
    <K, V> MapState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
}

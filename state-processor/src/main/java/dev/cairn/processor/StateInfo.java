package dev.cairn.processor;

import java.util.List;

/**
 * What a snapshot records about one keyed state or timer queue of an operator.
 *
 * @param name the state's name
 * @param kind {@code VALUE}, {@code LIST}, {@code MAP}, {@code REDUCING}, {@code AGGREGATING} or {@code TIMERS}
 * @param namespaceSerializer the class of the namespace serializer's snapshot
 * @param valueSerializers the classes of the value serializers' snapshots (element; key and value; value)
 * @param ttl whether the values carry time-to-live timestamps
 */
public record StateInfo(
        String name, String kind, String namespaceSerializer, List<String> valueSerializers, boolean ttl) {
    /**
     * Copies the list.
     *
     * @param name the state's name
     * @param kind what is stored
     * @param namespaceSerializer the class of the namespace serializer's snapshot
     * @param valueSerializers the classes of the value serializers' snapshots
     * @param ttl whether the values carry time-to-live timestamps
     */
    public StateInfo {
        valueSerializers = List.copyOf(valueSerializers);
    }
}

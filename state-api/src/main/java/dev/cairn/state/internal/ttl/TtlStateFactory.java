package dev.cairn.state.internal.ttl;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.support.TtlValue;

/**
 * Builds TTL-enabled states on top of any backend, the same way for all (and with Flink's semantics): the backend
 * creates an <em>internal</em> state of the same kind from {@link #internalDescriptor} — values wrapped in
 * {@link TtlValue}: per element for lists, per value for maps, the value or accumulator otherwise — and
 * {@link #wrap} puts the TTL logic in front of it.
 */
public final class TtlStateFactory {
    private TtlStateFactory() {}

    /**
     * The descriptor of the internal state that stores a TTL-enabled state's values with timestamps: same name and
     * kind, {@link TtlSerializer}s around the user's value serializers, and for reducing and aggregating state
     * functions over {@link TtlValue}s (which the backend uses to merge namespaces).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static StateDescriptor<?, ?> internalDescriptor(StateDescriptor<?, ?> descriptor, TtlTimeProvider time) {
        StateTtlConfig config = descriptor.getTtlConfig();
        String name = descriptor.getName();
        return switch (descriptor.getType()) {
            case VALUE -> new ValueStateDescriptor<>(name, new TtlSerializer(descriptor.getSerializer()));
            case LIST ->
                new ListStateDescriptor<>(
                        name, new TtlSerializer<>(((ListStateDescriptor<?>) descriptor).getElementSerializer()));
            case MAP ->
                new MapStateDescriptor<>(
                        name,
                        ((MapStateDescriptor<?, ?>) descriptor).getKeySerializer(),
                        new TtlSerializer<>(((MapStateDescriptor<?, ?>) descriptor).getValueSerializer()));
            case REDUCING ->
                new ReducingStateDescriptor<>(
                        name,
                        TtlFunctions.reduce(((ReducingStateDescriptor) descriptor).getReduceFunction(), config, time),
                        new TtlSerializer(descriptor.getSerializer()));
            case AGGREGATING ->
                new AggregatingStateDescriptor<>(
                        name,
                        TtlFunctions.aggregate(
                                ((AggregatingStateDescriptor) descriptor).getAggregateFunction(), config, time),
                        new TtlSerializer(descriptor.getSerializer()));
        };
    }

    /**
     * Wraps the internal state (created from {@link #internalDescriptor}, an {@link InternalKvState}) with TTL
     * logic. The result is an {@link InternalKvState} too, and an {@link InternalMergingState} for list, reducing
     * and aggregating state.
     *
     * @param onAccess called on every access of the state; backends hook incremental cleanup here
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <S extends State> S wrap(
            StateDescriptor<S, ?> descriptor, State internal, TtlTimeProvider time, Runnable onAccess) {
        TtlContext context = new TtlContext(descriptor.getTtlConfig(), time, onAccess);
        return (S)
                switch (descriptor.getType()) {
                    case VALUE ->
                        new TtlValueState<>(internal, context, ((ValueStateDescriptor<?>) descriptor)::getDefaultValue);
                    case LIST -> new TtlListState<>(internal, context);
                    case MAP -> new TtlMapState<>(internal, context);
                    case REDUCING ->
                        new TtlReducingState<>(
                                internal, context, ((ReducingStateDescriptor) descriptor).getReduceFunction());
                    case AGGREGATING ->
                        new TtlAggregatingState<>(
                                internal, context, ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
                };
    }
}

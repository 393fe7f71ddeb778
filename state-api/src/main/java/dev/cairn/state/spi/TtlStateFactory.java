package dev.cairn.state.spi;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.internal.ttl.TtlAggregatingState;
import dev.cairn.state.internal.ttl.TtlContext;
import dev.cairn.state.internal.ttl.TtlListState;
import dev.cairn.state.internal.ttl.TtlMapState;
import dev.cairn.state.internal.ttl.TtlReducingState;
import dev.cairn.state.internal.ttl.TtlValueState;

/**
 * Builds TTL-enabled states on top of any backend, the same way for all: the backend creates an
 * <em>internal</em> state from {@link #internalDescriptor} (values wrapped in {@link TtlValue}), and
 * {@link #wrap} puts the TTL logic in front of it. Value, reducing and aggregating states are stored as value
 * state of {@code TtlValue}; list state per element; map state per value.
 */
public final class TtlStateFactory {
    private TtlStateFactory() {}

    /** The descriptor of the internal state that stores a TTL-enabled state's values with timestamps. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static StateDescriptor<?, ?> internalDescriptor(StateDescriptor<?, ?> descriptor) {
        return switch (descriptor.getType()) {
            case LIST ->
                new ListStateDescriptor<>(
                        descriptor.getName(),
                        new TtlSerializer<>(((ListStateDescriptor<?>) descriptor).getElementSerializer()));
            case MAP ->
                new MapStateDescriptor<>(
                        descriptor.getName(),
                        ((MapStateDescriptor<?, ?>) descriptor).getKeySerializer(),
                        new TtlSerializer<>(((MapStateDescriptor<?, ?>) descriptor).getValueSerializer()));
            case VALUE, REDUCING, AGGREGATING ->
                new ValueStateDescriptor<>(descriptor.getName(), new TtlSerializer(descriptor.getSerializer()));
            case TIMERS -> throw new IllegalArgumentException("Timers have no TTL");
        };
    }

    /**
     * Wraps the internal state (created from {@link #internalDescriptor}) with TTL logic.
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
                        new TtlValueState<>(
                                (ValueState) internal,
                                context,
                                ((ValueStateDescriptor<?>) descriptor)::getDefaultValue);
                    case LIST -> new TtlListState<>((ListState) internal, context);
                    case MAP -> new TtlMapState<>((MapState) internal, context);
                    case REDUCING ->
                        new TtlReducingState<>(
                                (ValueState) internal,
                                context,
                                ((ReducingStateDescriptor) descriptor).getReduceFunction());
                    case AGGREGATING ->
                        new TtlAggregatingState<>(
                                (ValueState) internal,
                                context,
                                ((AggregatingStateDescriptor) descriptor).getAggregateFunction());
                    case TIMERS -> throw new IllegalArgumentException("Timers have no TTL");
                };
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.InternalKvState;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.WrappableKeyedStateBackend;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.StateMetaInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording wrappers of a changelog backend: one per state and timer queue of the wrapped backend, each
 * registered with the {@link ChangelogWriter} (which gives it the id its change records carry).
 *
 * @param <K> the key type
 */
final class ChangelogStateRegistry<K> {
    private record Entry(AbstractChangelogState<?> wrapper, StateDescriptor<?, ?> descriptor) {}

    private final WrappableKeyedStateBackend<K> inner;
    private final ChangeContext context;
    private final ChangelogWriter writer;
    private final TypeSerializer<K> keySerializer;
    private final int numberOfKeyGroups;
    private final Map<String, Entry> states = new HashMap<>();
    private final Map<String, ChangelogTimerQueue<K, ?>> timerQueues = new HashMap<>();

    ChangelogStateRegistry(
            WrappableKeyedStateBackend<K> inner,
            ChangeContext context,
            ChangelogWriter writer,
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups) {
        this.inner = inner;
        this.context = context;
        this.writer = writer;
        this.keySerializer = keySerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
    }

    /**
     * The recording wrapper of the state {@code descriptor} names, created on first use around the wrapped
     * backend's own state object.
     */
    @SuppressWarnings("unchecked")
    <N> InternalKvState<N> state(
            TypeSerializer<N> namespaceSerializer, StateDescriptor<?, ?> descriptor, StateTtlConfig ttl) {
        Entry entry = states.get(descriptor.getName());
        if (entry == null) {
            InternalKvState<N> wrapped = inner.getOrCreateInternalState(namespaceSerializer, descriptor, ttl);
            int id = writer.registerState(ChangeFormat.metaEntry(
                    ChangeFormat.KIND_STATE, StateMetaInfo.of(descriptor, namespaceSerializer), ttl));
            entry = new Entry(wrapper(id, descriptor, namespaceSerializer, wrapped), descriptor);
            states.put(descriptor.getName(), entry);
        }
        return (InternalKvState<N>) entry.wrapper();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <N> AbstractChangelogState<N> wrapper(
            int id,
            StateDescriptor<?, ?> descriptor,
            TypeSerializer<N> namespaceSerializer,
            InternalKvState<N> wrapped) {
        return switch (descriptor.getType()) {
            case VALUE ->
                new ChangelogValueState<>(context, id, namespaceSerializer, descriptor.getSerializer(), wrapped);
            case LIST ->
                new ChangelogListState<>(
                        context,
                        id,
                        namespaceSerializer,
                        ((ListStateDescriptor) descriptor).getElementSerializer(),
                        wrapped);
            case MAP ->
                new ChangelogMapState<>(
                        context,
                        id,
                        namespaceSerializer,
                        ((MapStateDescriptor) descriptor).getKeySerializer(),
                        ((MapStateDescriptor) descriptor).getValueSerializer(),
                        wrapped);
            case REDUCING ->
                new ChangelogReducingState<>(
                        context,
                        id,
                        namespaceSerializer,
                        ((ReducingStateDescriptor) descriptor).getReduceFunction(),
                        descriptor.getSerializer(),
                        wrapped);
            case AGGREGATING ->
                new ChangelogAggregatingState<>(
                        context,
                        id,
                        namespaceSerializer,
                        ((AggregatingStateDescriptor) descriptor).getAggregateFunction(),
                        descriptor.getSerializer(),
                        wrapped);
        };
    }

    /**
     * The recording wrapper of the timer queue {@code name}; a new one when the wrapped backend hands out another
     * queue object than before (recreated after a restore).
     */
    @SuppressWarnings("unchecked")
    <N> KeyGroupedTimerQueue<K, N> timerQueue(String name, TypeSerializer<N> namespaceSerializer) {
        ChangelogTimerQueue<K, N> queue = (ChangelogTimerQueue<K, N>) timerQueues.get(name);
        KeyGroupedTimerQueue<K, N> wrapped = inner.createTimerQueue(name, namespaceSerializer);
        if (queue == null || queue.inner() != wrapped) {
            int id = writer.registerState(ChangeFormat.metaEntry(
                    ChangeFormat.KIND_TIMERS,
                    new StateMetaInfo(name, StateKind.TIMERS, namespaceSerializer.snapshotConfiguration(), List.of()),
                    null));
            queue = new ChangelogTimerQueue<>(
                    wrapped, writer, id, keySerializer, namespaceSerializer, numberOfKeyGroups);
            timerQueues.put(name, queue);
        }
        return queue;
    }
}

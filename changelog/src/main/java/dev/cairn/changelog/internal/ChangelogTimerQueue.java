package dev.cairn.changelog.internal;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.Timer;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;

/** Records timers added and removed (fired timers are removed) under their own key and key group. */
public final class ChangelogTimerQueue<K, N> implements KeyGroupedTimerQueue<K, N> {
    private final KeyGroupedTimerQueue<K, N> inner;
    private final ChangelogWriter writer;
    private final int stateId;
    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<N> namespaceSerializer;
    private final int numberOfKeyGroups;
    private final DataOutputSerializer scratch = new DataOutputSerializer(64);
    private final DataOutputSerializer payload = new DataOutputSerializer(8);

    public ChangelogTimerQueue(
            KeyGroupedTimerQueue<K, N> inner,
            ChangelogWriter writer,
            int stateId,
            TypeSerializer<K> keySerializer,
            TypeSerializer<N> namespaceSerializer,
            int numberOfKeyGroups) {
        this.inner = inner;
        this.writer = writer;
        this.stateId = stateId;
        this.keySerializer = keySerializer;
        this.namespaceSerializer = namespaceSerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
    }

    /** The wrapped queue (for replay). */
    public KeyGroupedTimerQueue<K, N> inner() {
        return inner;
    }

    @Override
    public Timer<K, N> peek() {
        return inner.peek();
    }

    @Override
    public Timer<K, N> poll() {
        Timer<K, N> timer = inner.poll();
        if (timer != null) {
            record(ChangeFormat.TIMER_REMOVE, timer);
        }
        return timer;
    }

    @Override
    public boolean add(Timer<K, N> timer) {
        boolean added = inner.add(timer);
        if (added) {
            record(ChangeFormat.TIMER_ADD, timer);
        }
        return added;
    }

    @Override
    public boolean remove(Timer<K, N> timer) {
        boolean removed = inner.remove(timer);
        if (removed) {
            record(ChangeFormat.TIMER_REMOVE, timer);
        }
        return removed;
    }

    @Override
    public int size() {
        return inner.size();
    }

    private void record(byte op, Timer<K, N> timer) {
        try {
            scratch.clear();
            keySerializer.serialize(timer.key(), scratch);
            byte[] key = scratch.toByteArray();
            scratch.clear();
            namespaceSerializer.serialize(timer.namespace(), scratch);
            byte[] namespace = scratch.toByteArray();
            payload.clear();
            payload.writeLong(timer.timestamp());
            writer.append(
                    stateId,
                    KeyGroupRangeAssignment.assignToKeyGroup(timer.key(), numberOfKeyGroups),
                    op,
                    key,
                    namespace,
                    payload);
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a timer change of " + timer, e);
        }
    }
}

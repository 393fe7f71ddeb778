package dev.cairn.state;

import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedStateBackend;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The timer service of one keyed operator: event-time and processing-time timers per (key, namespace,
 * timestamp), deduplicated, stored in the backend's key-group partitioned timer queues — so they are part of
 * every snapshot and move with their key group on rescaling.
 *
 * <p>The application drives time: {@link #advanceWatermark} fires every event-time timer up to the watermark in
 * timestamp order, {@link #advanceProcessingTime} (or {@link #fireDueProcessingTimers}, reading the injected
 * clock) does the same for processing time. Both run on the thread that owns the backend, and set the backend's
 * current key to each timer's key during its callback; the previous current key is restored afterwards.
 *
 * <p><b>Caveats:</b> the watermark is not part of snapshots: after a restore it starts at
 * {@link Long#MIN_VALUE} again, and timers fire once the application advances it.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
public final class KeyedTimerService<K, N> implements TimerService<N> {
    private final KeyedStateBackend<K> backend;
    private final KeyGroupedTimerQueue<K, N> eventTimeTimers;
    private final KeyGroupedTimerQueue<K, N> processingTimeTimers;
    private final TimerHandler<K, N> handler;
    private final LongSupplier processingClock;
    private long watermark = Long.MIN_VALUE;
    private long processingTime = Long.MIN_VALUE;

    private KeyedTimerService(
            KeyedStateBackend<K> backend,
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler,
            LongSupplier processingClock) {
        this.backend = backend;
        this.eventTimeTimers = backend.createTimerQueue(name + "/event-time", namespaceSerializer);
        this.processingTimeTimers = backend.createTimerQueue(name + "/processing-time", namespaceSerializer);
        this.handler = Objects.requireNonNull(handler, "handler");
        this.processingClock = Objects.requireNonNull(processingClock, "processingClock");
    }

    /**
     * Creates (or, after a restore, reattaches to) the timers named {@code name} of {@code backend}, with the
     * wall clock as processing time.
     *
     * @param <K> the key type
     * @param <N> the namespace type
     * @param backend the keyed backend that stores the timers
     * @param name the timers' name, unique in the backend
     * @param namespaceSerializer the serializer of the timers' namespaces
     * @param handler called when a timer fires
     * @return the timer service
     */
    public static <K, N> KeyedTimerService<K, N> create(
            KeyedStateBackend<K> backend,
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler) {
        return create(backend, name, namespaceSerializer, handler, System::currentTimeMillis);
    }

    /**
     * As {@link #create(KeyedStateBackend, String, TypeSerializer, TimerHandler)} with an injected clock.
     *
     * @param <K> the key type
     * @param <N> the namespace type
     * @param backend the keyed backend that stores the timers
     * @param name the timers' name, unique in the backend
     * @param namespaceSerializer the serializer of the timers' namespaces
     * @param handler called when a timer fires
     * @param processingClock the processing-time clock, in milliseconds
     * @return the timer service
     */
    public static <K, N> KeyedTimerService<K, N> create(
            KeyedStateBackend<K> backend,
            String name,
            TypeSerializer<N> namespaceSerializer,
            TimerHandler<K, N> handler,
            LongSupplier processingClock) {
        return new KeyedTimerService<>(backend, name, namespaceSerializer, handler, processingClock);
    }

    private K currentKey() {
        K key = backend.getCurrentKey();
        if (key == null) {
            throw new IllegalStateException("Timers are registered for the current key: call setCurrentKey first");
        }
        return key;
    }

    @Override
    public long currentWatermark() {
        return watermark;
    }

    @Override
    public long currentProcessingTime() {
        return processingClock.getAsLong();
    }

    @Override
    public void registerEventTimeTimer(N namespace, long time) {
        eventTimeTimers.add(new Timer<>(currentKey(), namespace, time));
    }

    @Override
    public void deleteEventTimeTimer(N namespace, long time) {
        eventTimeTimers.remove(new Timer<>(currentKey(), namespace, time));
    }

    @Override
    public void registerProcessingTimeTimer(N namespace, long time) {
        processingTimeTimers.add(new Timer<>(currentKey(), namespace, time));
    }

    @Override
    public void deleteProcessingTimeTimer(N namespace, long time) {
        processingTimeTimers.remove(new Timer<>(currentKey(), namespace, time));
    }

    /** {@return the number of registered event-time timers} */
    public int numEventTimeTimers() {
        return eventTimeTimers.size();
    }

    /** {@return the number of registered processing-time timers} */
    public int numProcessingTimeTimers() {
        return processingTimeTimers.size();
    }

    /**
     * Moves event time to {@code newWatermark} and fires every event-time timer at or before it, in order.
     *
     * @param newWatermark the new event time; a lower value than the current one changes nothing
     * @throws Exception thrown by the handler; the timers after it stay registered
     */
    public void advanceWatermark(long newWatermark) throws Exception {
        watermark = Math.max(watermark, newWatermark);
        fire(eventTimeTimers, watermark, true);
    }

    /**
     * Moves processing time to {@code now} and fires every processing-time timer at or before it, in order.
     *
     * @param now the new processing time; a lower value than the current one changes nothing
     * @throws Exception thrown by the handler; the timers after it stay registered
     */
    public void advanceProcessingTime(long now) throws Exception {
        processingTime = Math.max(processingTime, now);
        fire(processingTimeTimers, processingTime, false);
    }

    /**
     * {@link #advanceProcessingTime} with the service's clock.
     *
     * @throws Exception thrown by the handler; the timers after it stay registered
     */
    public void fireDueProcessingTimers() throws Exception {
        advanceProcessingTime(processingClock.getAsLong());
    }

    private void fire(KeyGroupedTimerQueue<K, N> queue, long upTo, boolean eventTime) throws Exception {
        K previousKey = backend.getCurrentKey();
        try {
            for (Timer<K, N> next = queue.peek(); next != null && next.timestamp() <= upTo; next = queue.peek()) {
                Timer<K, N> timer = queue.poll();
                backend.setCurrentKey(timer.key());
                if (eventTime) {
                    handler.onEventTime(timer);
                } else {
                    handler.onProcessingTime(timer);
                }
            }
        } finally {
            if (previousKey != null) {
                backend.setCurrentKey(previousKey);
            }
        }
    }
}

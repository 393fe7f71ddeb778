package dev.cairn.kafka.internal;

import dev.cairn.kafka.Timers;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.VoidNamespace;

/**
 * A partition's timers as the application sees them ({@link Timers}: no namespaces), over the keyed timer service
 * that stores and fires them. One per partition, created once.
 *
 * @param <K> the key type
 */
public final class PartitionTimers<K> implements Timers {
    private final KeyedTimerService<K, VoidNamespace> service;

    PartitionTimers(KeyedTimerService<K, VoidNamespace> service) {
        this.service = service;
    }

    /** {@return the service that stores the timers and fires them when the watermark or the clock advances} */
    public KeyedTimerService<K, VoidNamespace> service() {
        return service;
    }

    @Override
    public void registerEventTimeTimer(long time) {
        service.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
        service.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
        service.registerProcessingTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
        service.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, time);
    }

    @Override
    public long currentWatermark() {
        return service.currentWatermark();
    }

    @Override
    public long currentProcessingTime() {
        return service.currentProcessingTime();
    }
}

package dev.cairn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Event- and processing-time timers: order, dedupe, deletion, callbacks, snapshots and rescaling. */
public abstract class TimerConformance extends StateBackendTestBase {
    private final ValueStateDescriptor<String> seen = new ValueStateDescriptor<>("seen", Serializers.STRING);

    /** Records fired timers as "key@namespace:time" and the current key during each callback. */
    static final class Recorder implements TimerHandler<String, Long> {
        final List<String> fired = new ArrayList<>();
        CheckpointableKeyedStateBackend<String> backend;

        @Override
        public void onEventTime(Timer<String, Long> timer) {
            assertThat(backend.getCurrentKey()).isEqualTo(timer.key());
            fired.add(timer.key() + "@" + timer.namespace() + ":" + timer.timestamp());
        }

        @Override
        public void onProcessingTime(Timer<String, Long> timer) {
            fired.add("processing " + timer.key() + ":" + timer.timestamp());
        }
    }

    private KeyedTimerService<String, Long> service(
            CheckpointableKeyedStateBackend<String> backend, Recorder recorder) {
        recorder.backend = backend;
        return KeyedTimerService.create(backend, "timers", Serializers.LONG, recorder);
    }

    @Test
    void aSnapshotHoldsExactlyTheTimersOfItsSynchronousPart() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        KeyGroupedTimerQueue<String, Long> queue = backend.createTimerQueue("queue", Serializers.LONG);
        for (int i = 0; i < 20_000; i++) {
            queue.add(new Timer<>("key" + (i % 500), (long) (i % 7), i));
        }
        for (SnapshotOptions options : List.of(SnapshotOptions.checkpoint(), SnapshotOptions.savepoint())) {
            int sizeAtSnapshot = queue.size();
            var snapshot = startSnapshot(backend, options);
            // After the synchronous part: fire some, delete some, add some; the snapshot must not see any of it.
            for (int i = 0; i < 1_000; i++) {
                queue.poll();
            }
            for (int i = 1_000; i < 3_000; i++) {
                queue.remove(new Timer<>("key" + (i % 500), (long) (i % 7), i));
            }
            for (int i = 0; i < 500; i++) {
                queue.add(new Timer<>("late" + i, 0L, 100_000 + i));
            }
            snapshot.run();
            CheckpointableKeyedStateBackend<String> restored =
                    restoreBackend(handles(snapshot.get().getHandle()));
            KeyGroupedTimerQueue<String, Long> restoredQueue = restored.createTimerQueue("queue", Serializers.LONG);
            assertThat(restoredQueue.size()).isEqualTo(sizeAtSnapshot);
            // Re-add what the snapshot must have, so that the queues compare after undoing the later changes.
            for (int i = 0; i < 500; i++) {
                queue.remove(new Timer<>("late" + i, 0L, 100_000 + i));
            }
            for (int i = 0; i < 3_000; i++) {
                queue.add(new Timer<>("key" + (i % 500), (long) (i % 7), i));
            }
            assertThat(drain(restoredQueue)).isEqualTo(drainCopy(backend, queue));
        }
    }

    private static List<String> drain(KeyGroupedTimerQueue<String, Long> queue) {
        List<String> timers = new ArrayList<>();
        for (Timer<String, Long> timer = queue.poll(); timer != null; timer = queue.poll()) {
            timers.add(timer.timestamp() + " " + timer.key() + "@" + timer.namespace());
        }
        timers.sort(null);
        return timers;
    }

    /** The timers of {@code queue}, sorted, leaving it unchanged. */
    private List<String> drainCopy(
            CheckpointableKeyedStateBackend<String> backend, KeyGroupedTimerQueue<String, Long> queue)
            throws Exception {
        CheckpointableKeyedStateBackend<String> copy = restoreBackend(handles(snapshot(backend)));
        return drain(copy.createTimerQueue("queue", Serializers.LONG));
    }

    @Test
    void eventTimeTimersFireInTimestampOrderWithTheirKeyAndOnlyOnce() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        Recorder recorder = new Recorder();
        KeyedTimerService<String, Long> timers = service(backend, recorder);
        backend.setCurrentKey("b");
        timers.registerEventTimeTimer(1L, 30);
        timers.registerEventTimeTimer(1L, 30); // duplicate
        timers.registerEventTimeTimer(2L, 10);
        backend.setCurrentKey("a");
        timers.registerEventTimeTimer(1L, 20);
        timers.registerEventTimeTimer(1L, 40);
        timers.deleteEventTimeTimer(1L, 40);
        timers.registerEventTimeTimer(1L, 50);
        assertThat(timers.numEventTimeTimers()).isEqualTo(4);

        timers.advanceWatermark(25);
        assertThat(recorder.fired).containsExactly("b@2:10", "a@1:20");
        assertThat(backend.getCurrentKey()).as("current key restored").isEqualTo("a");
        timers.advanceWatermark(100);
        assertThat(recorder.fired).containsExactly("b@2:10", "a@1:20", "b@1:30", "a@1:50");
        timers.advanceWatermark(200);
        assertThat(recorder.fired).hasSize(4);
        assertThat(timers.numEventTimeTimers()).isZero();
        assertThat(backend.numKeyValueStateEntries())
                .as("timers are not key/value entries")
                .isZero();
    }

    @Test
    void callbacksCanUseStateAndRegisterMoreTimers() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        ValueState<String> state = backend.getState(seen);
        List<String> fired = new ArrayList<>();
        KeyedTimerService<String, Long>[] holder = new KeyedTimerService[1];
        holder[0] = KeyedTimerService.create(backend, "timers", Serializers.LONG, timer -> {
            state.update(state.value() + "+" + timer.timestamp());
            fired.add(timer.key() + ":" + timer.timestamp());
            if (timer.timestamp() < 30) {
                holder[0].registerEventTimeTimer(timer.namespace(), timer.timestamp() + 10);
            }
        });
        backend.setCurrentKey("k");
        state.update("start");
        holder[0].registerEventTimeTimer(0L, 10);
        holder[0].advanceWatermark(100);
        assertThat(fired).containsExactly("k:10", "k:20", "k:30");
        assertThat(state.value()).isEqualTo("start+10+20+30");
    }

    @Test
    void processingTimeTimersFollowTheInjectedClock() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        Recorder recorder = new Recorder();
        recorder.backend = backend;
        AtomicLong clock = new AtomicLong(1000);
        KeyedTimerService<String, Long> timers =
                KeyedTimerService.create(backend, "timers", Serializers.LONG, recorder, clock::get);
        backend.setCurrentKey("k");
        assertThat(timers.currentProcessingTime()).isEqualTo(1000);
        timers.registerProcessingTimeTimer(0L, 1500);
        timers.registerEventTimeTimer(0L, 1200);
        timers.fireDueProcessingTimers();
        assertThat(recorder.fired).isEmpty();
        clock.set(1600);
        timers.fireDueProcessingTimers();
        assertThat(recorder.fired).containsExactly("processing k:1500");
        assertThat(timers.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void timersAreSnapshottedRestoredAndRescaled() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        Recorder before = new Recorder();
        KeyedTimerService<String, Long> timers = service(backend, before);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            backend.setCurrentKey("key" + i);
            timers.registerEventTimeTimer((long) (i % 3), 1000 + i);
            expected.add("key" + i + "@" + (i % 3) + ":" + (1000 + i));
        }
        timers.advanceWatermark(1009); // fires ten before the snapshot
        for (int i = 0; i < 10; i++) {
            expected.remove("key" + i + "@" + (i % 3) + ":" + (1000 + i));
        }
        List<KeyedStateHandle> handles = handles(snapshot(backend, SnapshotOptions.savepoint()));
        backend.setCurrentKey("key299");
        timers.deleteEventTimeTimer(2L, 1299); // after the snapshot: must not affect it

        Set<String> fired = new HashSet<>();
        int total = 0;
        for (int index = 0; index < 3; index++) {
            CheckpointableKeyedStateBackend<String> restored =
                    restoreBackend(Serializers.STRING, handles, rangeOf(index, 3));
            Recorder recorder = new Recorder();
            KeyedTimerService<String, Long> restoredTimers = service(restored, recorder);
            total += restoredTimers.numEventTimeTimers();
            restoredTimers.advanceWatermark(Long.MAX_VALUE);
            for (String timer : recorder.fired) {
                String key = timer.substring(0, timer.indexOf('@'));
                assertThat(ownerOf(key, 3))
                        .as("timer of %s fired by instance %d", key, index)
                        .isEqualTo(index);
            }
            fired.addAll(recorder.fired);
        }
        assertThat(total).isEqualTo(290);
        assertThat(fired).isEqualTo(expected);
    }

    @Test
    void manyTimers() throws Exception {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        AtomicLong count = new AtomicLong();
        AtomicLong last = new AtomicLong(Long.MIN_VALUE);
        KeyedTimerService<String, Long> timers = KeyedTimerService.create(backend, "timers", Serializers.LONG, t -> {
            assertThat(t.timestamp()).isGreaterThanOrEqualTo(last.get());
            last.set(t.timestamp());
            count.incrementAndGet();
        });
        for (int i = 0; i < 200_000; i++) {
            backend.setCurrentKey("k" + (i % 5000));
            timers.registerEventTimeTimer((long) i, (i * 7919L) % 1_000_003);
            if (i % 4 == 0) {
                timers.deleteEventTimeTimer((long) i, (i * 7919L) % 1_000_003);
            }
        }
        assertThat(timers.numEventTimeTimers()).isEqualTo(150_000);
        timers.advanceWatermark(Long.MAX_VALUE);
        assertThat(count.get()).isEqualTo(150_000);
    }

    @Test
    void timerQueueNamesDoNotClashWithStates() {
        CheckpointableKeyedStateBackend<String> backend = createBackend();
        backend.getState(seen);
        assertThatThrownBy(() -> backend.createTimerQueue("seen", Serializers.LONG))
                .isInstanceOf(IllegalStateException.class);
        backend.createTimerQueue("q", Serializers.LONG);
        assertThatThrownBy(() -> backend.createTimerQueue("q", Serializers.STRING))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * Thousands of timers in two key groups, so that backends which keep only part of a key group's timers in
     * memory (RocksDB keeps the earliest 128) must refill, trim and consult storage: after every random add,
     * remove and poll the queue agrees with a plain set, also across a savepoint and restore.
     */
    @Test
    void aLargeQueueAgreesWithASetThroughAddsRemovesPollsAndARestore() throws Exception {
        int keyGroups = 2;
        CheckpointableKeyedStateBackend<Long> backend = createBackend(KeyedBackendParameters.builder(Serializers.LONG)
                .numberOfKeyGroups(keyGroups)
                .keyGroupRange(KeyGroupRange.of(0, keyGroups - 1))
                .build());
        KeyGroupedTimerQueue<Long, Long> queue = backend.createTimerQueue("many", Serializers.LONG);
        Set<Timer<Long, Long>> model = new HashSet<>();
        Random random = new Random(42);
        for (int step = 0; step < 12_000; step++) {
            if (step == 6_000) {
                List<KeyedStateHandle> handles = handles(snapshot(backend, SnapshotOptions.savepoint()));
                backend = createBackend(KeyedBackendParameters.builder(Serializers.LONG)
                        .numberOfKeyGroups(keyGroups)
                        .keyGroupRange(KeyGroupRange.of(0, keyGroups - 1))
                        .restoreFrom(handles)
                        .build());
                queue = backend.createTimerQueue("many", Serializers.LONG);
            }
            Timer<Long, Long> timer =
                    new Timer<>((long) random.nextInt(200), (long) random.nextInt(3), random.nextInt(20_000));
            int operation = random.nextInt(10);
            if (operation < 6) {
                assertThat(queue.add(timer))
                        .as("add %s at step %d", timer, step)
                        .isEqualTo(model.add(timer));
            } else if (operation < 8) {
                Timer<Long, Long> target = operation == 6 && !model.isEmpty() && queue.peek() != null
                        ? model.iterator().next()
                        : timer;
                assertThat(queue.remove(target))
                        .as("remove %s at step %d", target, step)
                        .isEqualTo(model.remove(target));
            } else {
                Timer<Long, Long> polled = queue.poll();
                if (model.isEmpty()) {
                    assertThat(polled).isNull();
                } else {
                    long earliest =
                            model.stream().mapToLong(Timer::timestamp).min().getAsLong();
                    assertThat(polled).as("poll at step %d", step).isNotNull();
                    assertThat(polled.timestamp()).as("poll at step %d", step).isEqualTo(earliest);
                    assertThat(model.remove(polled))
                            .as("polled %s was registered", polled)
                            .isTrue();
                }
            }
            assertThat(queue.size()).as("size at step %d", step).isEqualTo(model.size());
        }
        List<Timer<Long, Long>> drained = new ArrayList<>();
        for (Timer<Long, Long> timer = queue.poll(); timer != null; timer = queue.poll()) {
            drained.add(timer);
        }
        assertThat(new HashSet<>(drained)).isEqualTo(model);
        assertThat(drained).isSortedAccordingTo(Timer::compareTo);
    }
}

package dev.cairn.differential;

import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.ReducingStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.State;
import dev.cairn.state.StateDescriptor;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.Timer;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.InternalMergingState;
import dev.cairn.state.spi.KeyGroupedTimerQueue;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Cairn's side: instances of one {@link Variant}'s keyed backend. */
final class CairnWorld implements World {
    private final StateBackend stateBackend;
    private final AtomicLong clock;
    private final CheckpointStreamFactory streams = new MemoryCheckpointStreamFactory();
    private final ValueStateDescriptor<Long> value = new ValueStateDescriptor<>(VALUE, Serializers.LONG);
    private final ListStateDescriptor<Long> list = new ListStateDescriptor<>(LIST, Serializers.LONG);
    private final MapStateDescriptor<Integer, Long> map =
            new MapStateDescriptor<>(MAP, Serializers.INT, Serializers.LONG);
    private final ReducingStateDescriptor<String> reduce =
            new ReducingStateDescriptor<>(REDUCE, World::reduce, Serializers.STRING);
    private final AggregatingStateDescriptor<Long, String, String> aggregate =
            new AggregatingStateDescriptor<>(AGGREGATE, new Aggregate(), Serializers.STRING);
    private List<CheckpointableKeyedStateBackend<String>> instances = new ArrayList<>();
    private List<KeyGroupedTimerQueue<String, Long>> timers = new ArrayList<>();
    private long checkpointId;

    /** The aggregate function of {@link World}. */
    static final class Aggregate implements AggregateFunction<Long, String, String> {
        @Override
        public String createAccumulator() {
            return "0/0";
        }

        @Override
        public String add(Long value, String accumulator) {
            return World.aggregateAdd(value, accumulator);
        }

        @Override
        public String getResult(String accumulator) {
            return World.aggregateResult(accumulator);
        }

        @Override
        public String merge(String a, String b) {
            return World.aggregateMerge(a, b);
        }
    }

    CairnWorld(Variant variant, TtlSetting ttl, AtomicLong clock) {
        this.stateBackend = variant.create();
        this.clock = clock;
        if (ttl.enabled()) {
            StateTtlConfig.Builder builder = StateTtlConfig.newBuilder(Duration.ofMillis(ttl.ttlMillis()))
                    .setUpdateType(
                            ttl.updateOnRead()
                                    ? StateTtlConfig.UpdateType.OnReadAndWrite
                                    : StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(
                            ttl.returnExpired()
                                    ? StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp
                                    : StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .disableCleanupInBackground();
            if (ttl.fullSnapshotCleanup()) {
                builder.cleanupFullSnapshot();
            }
            StateTtlConfig config = builder.build();
            for (StateDescriptor<?, ?> descriptor : List.of(value, list, map, reduce, aggregate)) {
                descriptor.enableTimeToLive(config);
            }
        }
        restore(1, List.of());
    }

    @Override
    public int ownerOf(String key) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
        return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(MAX_PARALLELISM, instances.size(), keyGroup);
    }

    private CheckpointableKeyedStateBackend<String> at(String key) {
        CheckpointableKeyedStateBackend<String> backend = instances.get(ownerOf(key));
        backend.setCurrentKey(key);
        return backend;
    }

    private <S extends State> S state(
            CheckpointableKeyedStateBackend<String> backend, long ns, StateDescriptor<S, ?> d) {
        return backend.getPartitionedState(ns, Serializers.LONG, d);
    }

    @Override
    public Object apply(Op op) throws Exception {
        if (op instanceof Op.Keyed keyed) {
            String key = KEYS.get(keyed.key());
            return applyKeyed(at(key), key, keyed);
        }
        if (op instanceof Op.TimersFire fire) {
            List<String> fired = new ArrayList<>();
            for (KeyGroupedTimerQueue<String, Long> queue : timers) {
                long last = Long.MIN_VALUE;
                for (Timer<String, Long> next = queue.peek();
                        next != null && next.timestamp() <= fire.upTo();
                        next = queue.peek()) {
                    Timer<String, Long> timer = queue.poll();
                    if (timer.timestamp() < last) {
                        throw new AssertionError("Timers fired out of order: " + timer.timestamp() + " after " + last);
                    }
                    last = timer.timestamp();
                    fired.add(String.format("%05d %s@%d", timer.timestamp(), timer.key(), timer.namespace()));
                }
            }
            return World.sorted(fired);
        }
        if (op instanceof Op.TimersSize) {
            return timers.stream().mapToInt(KeyGroupedTimerQueue::size).sum();
        }
        if (op instanceof Op.Keys keys) {
            List<String> all = new ArrayList<>();
            for (CheckpointableKeyedStateBackend<String> backend : instances) {
                backend.getKeys(keys.state(), keys.ns()).forEach(all::add);
            }
            return World.sorted(all);
        }
        if (op instanceof Op.KeysAndNamespaces pairs) {
            List<String> all = new ArrayList<>();
            for (CheckpointableKeyedStateBackend<String> backend : instances) {
                backend.<Long>getKeysAndNamespaces(pairs.state())
                        .forEach(pair -> all.add(pair.key() + "@" + pair.namespace()));
            }
            return World.sorted(all);
        }
        if (op instanceof Op.Advance) {
            return "ok"; // the runner moves the shared clock, once for both worlds
        }
        if (op instanceof Op.Checkpoint) {
            restore(instances.size(), snapshotAll(SnapshotOptions.checkpoint()));
            return "ok";
        }
        if (op instanceof Op.Savepoint) {
            restore(instances.size(), snapshotAll(SnapshotOptions.savepoint()));
            return "ok";
        }
        if (op instanceof Op.Rescale rescale) {
            restore(rescale.parallelism(), snapshotAll(SnapshotOptions.checkpoint()));
            return "ok";
        }
        throw new IllegalArgumentException("Unknown op " + op);
    }

    @SuppressWarnings("unchecked")
    private Object applyKeyed(CheckpointableKeyedStateBackend<String> backend, String key, Op.Keyed op) {
        long ns = op.ns();
        if (op instanceof Op.ValueRead) {
            return String.valueOf(state(backend, ns, value).value());
        } else if (op instanceof Op.ValueWrite write) {
            state(backend, ns, value).update(write.value());
        } else if (op instanceof Op.ValueClear) {
            state(backend, ns, value).clear();
        } else if (op instanceof Op.ListRead) {
            return World.list(state(backend, ns, list).get());
        } else if (op instanceof Op.ListAdd add) {
            state(backend, ns, list).add(add.value());
        } else if (op instanceof Op.ListAddAll addAll) {
            state(backend, ns, list).addAll(addAll.values());
        } else if (op instanceof Op.ListUpdate update) {
            state(backend, ns, list).update(update.values());
        } else if (op instanceof Op.ListClear) {
            state(backend, ns, list).clear();
        } else if (op instanceof Op.MapRead read) {
            return String.valueOf(state(backend, ns, map).get(read.userKey()));
        } else if (op instanceof Op.MapContains contains) {
            return state(backend, ns, map).contains(contains.userKey());
        } else if (op instanceof Op.MapPut put) {
            state(backend, ns, map).put(put.userKey(), put.value());
        } else if (op instanceof Op.MapPutAll putAll) {
            state(backend, ns, map).putAll(putAll.entries());
        } else if (op instanceof Op.MapRemove remove) {
            state(backend, ns, map).remove(remove.userKey());
        } else if (op instanceof Op.MapEntries) {
            return World.sortedEntries(state(backend, ns, map).entries()).toString();
        } else if (op instanceof Op.MapKeys) {
            List<Integer> keys = new ArrayList<>();
            state(backend, ns, map).keys().forEach(keys::add);
            return World.sorted(keys);
        } else if (op instanceof Op.MapValues) {
            List<Long> values = new ArrayList<>();
            state(backend, ns, map).values().forEach(values::add);
            return World.sorted(values);
        } else if (op instanceof Op.MapIsEmpty) {
            return state(backend, ns, map).isEmpty();
        } else if (op instanceof Op.MapRemoveIf removeIf) {
            for (Iterator<Map.Entry<Integer, Long>> it = state(backend, ns, map).iterator(); it.hasNext(); ) {
                if (Math.floorMod(it.next().getKey(), 2) == removeIf.parity()) {
                    it.remove();
                }
            }
        } else if (op instanceof Op.MapSetValue set) {
            for (Map.Entry<Integer, Long> entry : state(backend, ns, map).entries()) {
                if (entry.getKey() == set.userKey()) {
                    entry.setValue(set.value());
                }
            }
        } else if (op instanceof Op.MapClear) {
            state(backend, ns, map).clear();
        } else if (op instanceof Op.ReduceRead) {
            return String.valueOf(state(backend, ns, reduce).get());
        } else if (op instanceof Op.ReduceAdd add) {
            state(backend, ns, reduce).add(add.value());
        } else if (op instanceof Op.ReduceClear) {
            state(backend, ns, reduce).clear();
        } else if (op instanceof Op.AggregateRead) {
            return String.valueOf(state(backend, ns, aggregate).get());
        } else if (op instanceof Op.AggregateAdd add) {
            state(backend, ns, aggregate).add(add.value());
        } else if (op instanceof Op.AggregateClear) {
            state(backend, ns, aggregate).clear();
        } else if (op instanceof Op.Merge merge) {
            StateDescriptor<?, ?> descriptor = switch (merge.state()) {
                case LIST -> list;
                case REDUCE -> reduce;
                default -> aggregate;
            };
            State state = backend.getPartitionedState(ns, Serializers.LONG, (StateDescriptor<State, ?>) descriptor);
            ((InternalMergingState<Long>) state).mergeNamespaces(ns, merge.sources());
        } else if (op instanceof Op.TimerAdd add) {
            timers.get(ownerOf(key)).add(new Timer<>(key, ns, add.timestamp()));
        } else if (op instanceof Op.TimerRemove remove) {
            timers.get(ownerOf(key)).remove(new Timer<>(key, ns, remove.timestamp()));
        } else {
            throw new IllegalArgumentException("Unknown op " + op);
        }
        return "ok";
    }

    private List<KeyedStateHandle> snapshotAll(SnapshotOptions options) throws Exception {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (CheckpointableKeyedStateBackend<String> backend : instances) {
            KeyedStateHandle handle =
                    backend.snapshotNow(++checkpointId, streams, options).getHandle();
            backend.notifyCheckpointComplete(checkpointId);
            if (handle != null) {
                handles.add(handle);
            }
        }
        return handles;
    }

    private void restore(int parallelism, List<KeyedStateHandle> handles) {
        closeInstances();
        instances = new ArrayList<>();
        timers = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            CheckpointableKeyedStateBackend<String> backend =
                    stateBackend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                            .numberOfKeyGroups(MAX_PARALLELISM)
                            .instance(index, parallelism)
                            .ttlTimeProvider(clock::get)
                            .restoreFrom(handles)
                            .build());
            instances.add(backend);
            timers.add(backend.createTimerQueue(TIMERS, Serializers.LONG));
        }
    }

    private void closeInstances() {
        instances.forEach(CheckpointableKeyedStateBackend::close);
    }

    @Override
    public void close() {
        closeInstances();
    }
}

package dev.cairn.differential;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.query.KvStateRegistry;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupedInternalPriorityQueue;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.TaskStateManager;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.internal.InternalMergingState;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.runtime.taskmanager.TaskManagerRuntimeInfo;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.api.operators.TimerSerializer;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * The oracle: instances of Apache Flink 2.3's own heap keyed backend ({@link HashMapStateBackend}), created outside
 * a job (the parts of the task environment it reads are answered by small proxies), driven through Flink's state
 * interfaces. Where Cairn deliberately differs, the oracle does what {@link Deviations} says.
 */
final class FlinkWorld implements World {
    private final TtlSetting ttl;
    private final AtomicLong clock;
    private final HashMapStateBackend stateBackend = new HashMapStateBackend();
    private final MemCheckpointStreamFactory streams = new MemCheckpointStreamFactory(Integer.MAX_VALUE);
    private final ValueStateDescriptor<Long> value = new ValueStateDescriptor<>(VALUE, LongSerializer.INSTANCE);
    private final ListStateDescriptor<Long> list = new ListStateDescriptor<>(LIST, LongSerializer.INSTANCE);
    private final MapStateDescriptor<Integer, Long> map =
            new MapStateDescriptor<>(MAP, IntSerializer.INSTANCE, LongSerializer.INSTANCE);
    private final ReducingStateDescriptor<String> reduce =
            new ReducingStateDescriptor<>(REDUCE, World::reduce, StringSerializer.INSTANCE);
    private final AggregatingStateDescriptor<Long, String, String> aggregate =
            new AggregatingStateDescriptor<>(AGGREGATE, new Aggregate(), StringSerializer.INSTANCE);
    /** The state behind a Flink TTL decorator (for {@link Deviations#oracleClearsNullEntriesLeftByMerges}). */
    private static final java.lang.reflect.Field TTL_ORIGINAL = ttlOriginalField();

    private List<AbstractKeyedStateBackend<String>> instances = new ArrayList<>();
    private List<KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<String, Long>>> timers = new ArrayList<>();
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

    FlinkWorld(TtlSetting ttl, AtomicLong clock) throws IOException {
        this.ttl = ttl;
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
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, instances.size());
    }

    private AbstractKeyedStateBackend<String> at(String key) {
        AbstractKeyedStateBackend<String> backend = instances.get(ownerOf(key));
        backend.setCurrentKey(key);
        return backend;
    }

    private static <S extends State> S state(
            AbstractKeyedStateBackend<String> backend, long ns, StateDescriptor<S, ?> d) throws Exception {
        return backend.getPartitionedState(ns, LongSerializer.INSTANCE, d);
    }

    @Override
    public Object apply(Op op) throws Exception {
        if (op instanceof Op.Keyed keyed) {
            String key = KEYS.get(keyed.key());
            return applyKeyed(at(key), key, keyed);
        }
        if (op instanceof Op.TimersFire fire) {
            List<String> fired = new ArrayList<>();
            for (KeyGroupedInternalPriorityQueue<TimerHeapInternalTimer<String, Long>> queue : timers) {
                for (TimerHeapInternalTimer<String, Long> next = queue.peek();
                        next != null && next.getTimestamp() <= fire.upTo();
                        next = queue.peek()) {
                    TimerHeapInternalTimer<String, Long> timer = queue.poll();
                    fired.add(String.format("%05d %s@%d", timer.getTimestamp(), timer.getKey(), timer.getNamespace()));
                }
            }
            return World.sorted(fired);
        }
        if (op instanceof Op.TimersSize) {
            return timers.stream()
                    .mapToInt(KeyGroupedInternalPriorityQueue::size)
                    .sum();
        }
        if (op instanceof Op.Keys keys) {
            List<String> all = new ArrayList<>();
            for (AbstractKeyedStateBackend<String> backend : instances) {
                backend.getKeys(keys.state(), keys.ns()).forEach(all::add);
            }
            return World.sorted(all);
        }
        if (op instanceof Op.KeysAndNamespaces pairs) {
            List<String> all = new ArrayList<>();
            for (AbstractKeyedStateBackend<String> backend : instances) {
                backend.<Long>getKeysAndNamespaces(pairs.state()).forEach(pair -> all.add(pair.f0 + "@" + pair.f1));
            }
            return World.sorted(all);
        }
        if (op instanceof Op.Advance) {
            return "ok"; // the runner moves the shared clock, once for both worlds
        }
        if (op instanceof Op.Checkpoint || op instanceof Op.Savepoint) {
            // Flink's heap backend writes savepoints and checkpoints alike.
            restore(instances.size(), snapshotAll());
            return "ok";
        }
        if (op instanceof Op.Rescale rescale) {
            restore(rescale.parallelism(), snapshotAll());
            return "ok";
        }
        throw new IllegalArgumentException("Unknown op " + op);
    }

    private Object applyKeyed(AbstractKeyedStateBackend<String> backend, String key, Op.Keyed op) throws Exception {
        Object observed = observe(backend, key, op);
        if (Deviations.oracleClearsMapsEmptiedByIteration() && iteratesMap(op)) {
            MapState<Integer, Long> state = state(backend, op.ns(), map);
            if (state.isEmpty()) {
                state.clear();
            }
        }
        return observed;
    }

    private static boolean iteratesMap(Op op) {
        return op instanceof Op.MapEntries
                || op instanceof Op.MapKeys
                || op instanceof Op.MapValues
                || op instanceof Op.MapIsEmpty
                || op instanceof Op.MapRemoveIf
                || op instanceof Op.MapSetValue;
    }

    @SuppressWarnings("unchecked")
    private Object observe(AbstractKeyedStateBackend<String> backend, String key, Op.Keyed op) throws Exception {
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
            Iterable<Integer> iterable = state(backend, ns, map).keys();
            if (iterable != null) {
                iterable.forEach(keys::add);
            }
            return World.sorted(keys);
        } else if (op instanceof Op.MapValues) {
            List<Long> values = new ArrayList<>();
            Iterable<Long> iterable = state(backend, ns, map).values();
            if (iterable != null) {
                iterable.forEach(values::add);
            }
            return World.sorted(values);
        } else if (op instanceof Op.MapIsEmpty) {
            MapState<Integer, Long> state = state(backend, ns, map);
            return Deviations.oracleAnswersIsEmptyByIterating(ttl)
                    ? !state.entries().iterator().hasNext()
                    : state.isEmpty();
        } else if (op instanceof Op.MapRemoveIf removeIf) {
            Iterator<Map.Entry<Integer, Long>> it = state(backend, ns, map).iterator();
            while (it != null && it.hasNext()) {
                if (Math.floorMod(it.next().getKey(), 2) == removeIf.parity()) {
                    try {
                        it.remove();
                    } catch (IllegalStateException e) {
                        if (!Deviations.oracleIgnoresRemoveOfEntryRemovedByRead(ttl)) {
                            throw e;
                        }
                    }
                }
            }
        } else if (op instanceof Op.MapSetValue set) {
            MapState<Integer, Long> state = state(backend, ns, map);
            boolean found = false;
            for (Map.Entry<Integer, Long> entry : state.entries()) {
                if (entry.getKey() == set.userKey()) {
                    found = true;
                    if (!Deviations.oracleSetsValueWithPut(ttl)) {
                        entry.setValue(set.value());
                    }
                }
            }
            if (found && Deviations.oracleSetsValueWithPut(ttl)) {
                state.put(set.userKey(), set.value());
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
            State state =
                    backend.getPartitionedState(ns, LongSerializer.INSTANCE, (StateDescriptor<State, ?>) descriptor);
            ((InternalMergingState<String, Long, ?, ?, ?>) state).mergeNamespaces(ns, merge.sources());
        } else if (op instanceof Op.TimerAdd add) {
            timers.get(ownerOf(key)).add(new TimerHeapInternalTimer<>(add.timestamp(), key, ns));
        } else if (op instanceof Op.TimerRemove remove) {
            timers.get(ownerOf(key)).remove(new TimerHeapInternalTimer<>(remove.timestamp(), key, ns));
        } else {
            throw new IllegalArgumentException("Unknown op " + op);
        }
        return "ok";
    }

    private List<KeyedStateHandle> snapshotAll() throws Exception {
        List<KeyedStateHandle> handles = new ArrayList<>();
        for (AbstractKeyedStateBackend<String> backend : instances) {
            RunnableFuture<SnapshotResult<KeyedStateHandle>> snapshot = backend.snapshot(
                    ++checkpointId, clock.get(), streams, CheckpointOptions.forCheckpointWithDefaultLocation());
            snapshot.run();
            KeyedStateHandle handle = snapshot.get().getJobManagerOwnedSnapshot();
            if (handle != null) {
                handles.add(handle);
            }
        }
        return handles;
    }

    private void restore(int parallelism, List<KeyedStateHandle> handles) throws IOException {
        closeInstances();
        instances = new ArrayList<>();
        timers = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            KeyGroupRange range =
                    KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, index);
            List<KeyedStateHandle> own = new ArrayList<>();
            for (KeyedStateHandle handle : handles) {
                KeyedStateHandle intersection = handle.getIntersection(range);
                if (intersection != null) {
                    own.add(intersection);
                }
            }
            AbstractKeyedStateBackend<String> backend = create(range, own);
            instances.add(backend);
            timers.add(
                    backend.create(TIMERS, new TimerSerializer<>(StringSerializer.INSTANCE, LongSerializer.INSTANCE)));
        }
    }

    private AbstractKeyedStateBackend<String> create(KeyGroupRange range, Collection<KeyedStateHandle> handles)
            throws IOException {
        JobID jobId = new JobID();
        try {
            return stateBackend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(
                    environment(jobId),
                    jobId,
                    "differential",
                    StringSerializer.INSTANCE,
                    MAX_PARALLELISM,
                    range,
                    new KvStateRegistry().createTaskRegistry(jobId, new JobVertexID()),
                    clock::get,
                    new UnregisteredMetricsGroup(),
                    handles,
                    new CloseableRegistry()));
        } catch (Exception e) {
            throw new IOException("Cannot create Flink's heap keyed backend: " + e, e);
        }
    }

    private void closeInstances() {
        instances.forEach(AbstractKeyedStateBackend::dispose);
    }

    @Override
    public void close() {
        closeInstances();
    }

    private static java.lang.reflect.Field ttlOriginalField() {
        try {
            java.lang.reflect.Field field =
                    org.apache.flink.runtime.state.ttl.AbstractTtlDecorator.class.getDeclaredField("original");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Flink's TTL decorator changed", e);
        }
    }

    private static Environment environment(JobID jobId) {
        ClassLoader loader = FlinkWorld.class.getClassLoader();
        UserCodeClassLoader userCode = proxy(UserCodeClassLoader.class, (p, method, args) -> switch (method.getName()) {
            case "asClassLoader" -> loader;
            case "registerReleaseHookIfAbsent" -> null;
            default -> unsupported(UserCodeClassLoader.class, method.getName());
        });
        TaskStateManager taskState = proxy(TaskStateManager.class, (p, method, args) -> switch (method.getName()) {
            case "createLocalRecoveryConfig" -> LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED;
            default -> unsupported(TaskStateManager.class, method.getName());
        });
        Configuration configuration = new Configuration();
        TaskManagerRuntimeInfo taskManager =
                proxy(TaskManagerRuntimeInfo.class, (p, method, args) -> switch (method.getName()) {
                    case "getConfiguration" -> configuration;
                    case "getTmpDirectories" -> new String[] {System.getProperty("java.io.tmpdir")};
                    default -> unsupported(TaskManagerRuntimeInfo.class, method.getName());
                });
        ExecutionConfig executionConfig = new ExecutionConfig();
        return proxy(Environment.class, (p, method, args) -> switch (method.getName()) {
            case "getTaskStateManager" -> taskState;
            case "getUserCodeClassLoader" -> userCode;
            case "getExecutionConfig" -> executionConfig;
            case "getJobID" -> jobId;
            case "getTaskManagerInfo" -> taskManager;
            case "getJobConfiguration", "getTaskConfiguration" -> configuration;
            case "toString" -> "DifferentialTestEnvironment";
            default -> unsupported(Environment.class, method.getName());
        });
    }

    private static Object unsupported(Class<?> type, String method) {
        throw new UnsupportedOperationException(
                "The differential test's " + type.getSimpleName() + " does not provide " + method + "()");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FlinkWorld.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}

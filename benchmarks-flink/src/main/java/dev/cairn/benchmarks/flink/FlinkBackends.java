package dev.cairn.benchmarks.flink;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.query.KvStateRegistry;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackendParametersImpl;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.TaskStateManager;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.runtime.taskmanager.TaskManagerRuntimeInfo;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * Creates Apache Flink's keyed state backends outside a Flink job, for benchmarks: the parts of the task
 * {@link Environment} they read are answered by small proxies; everything else fails loudly, naming the method.
 */
final class FlinkBackends {
    static final int NUMBER_OF_KEY_GROUPS = 128;
    /** One slot's managed memory: Cairn's default RocksDB budget. */
    static final long MANAGED_MEMORY_BYTES = 256L << 20;

    /**
     * The RocksDB configuration of a run, as on Cairn's side ({@code BenchmarkSupport.ROCKSDB_CONFIGURATION}):
     * {@code managed} (default) 256 MB of managed memory; {@code unmanaged} no managed memory (an 8 MB block cache
     * per state, Flink's default) and Snappy (Flink's default compression); {@code defaults} the managed memory of
     * a default task manager's one slot — 0.4 of the 1 280 MB of Flink memory of the default 1 728 MB process, 512 MB.
     */
    static final String ROCKSDB_CONFIGURATION = "cairn.bench.rocksdb";

    private static String rocksdbConfiguration() {
        String configuration = System.getProperty(ROCKSDB_CONFIGURATION, "managed");
        if (!List.of("managed", "unmanaged", "defaults").contains(configuration)) {
            throw new IllegalArgumentException(
                    ROCKSDB_CONFIGURATION + " must be managed, unmanaged or defaults: " + configuration);
        }
        return configuration;
    }

    private static long managedMemoryBytes() {
        return rocksdbConfiguration().equals("defaults") ? 512L << 20 : MANAGED_MEMORY_BYTES;
    }

    private FlinkBackends() {}

    /**
     * A Long-keyed backend owning all key groups: {@code hashmap} or {@code rocksdb} (RocksDB with 256 MB of
     * managed memory, working directory under the system temp directory).
     */
    static AbstractKeyedStateBackend<Long> longKeyed(String backendType) throws IOException {
        return longKeyed(backendType, List.of());
    }

    /** As {@link #longKeyed(String)}, restoring {@code restoreFrom}. */
    static AbstractKeyedStateBackend<Long> longKeyed(String backendType, Collection<KeyedStateHandle> restoreFrom)
            throws IOException {
        StateBackend backend = switch (backendType) {
            case "hashmap" -> new HashMapStateBackend();
            case "rocksdb" -> rocksdb();
            default -> throw new IllegalArgumentException("backendType must be hashmap or rocksdb: " + backendType);
        };
        JobID jobId = new JobID();
        try {
            return (AbstractKeyedStateBackend<Long>)
                    backend.createKeyedStateBackend(new KeyedStateBackendParametersImpl<>(
                            environment(jobId),
                            jobId,
                            "bench",
                            LongSerializer.INSTANCE,
                            NUMBER_OF_KEY_GROUPS,
                            KeyGroupRange.of(0, NUMBER_OF_KEY_GROUPS - 1),
                            new KvStateRegistry().createTaskRegistry(jobId, new JobVertexID()),
                            TtlTimeProvider.DEFAULT,
                            new UnregisteredMetricsGroup(),
                            restoreFrom,
                            new CloseableRegistry()));
        } catch (Exception e) {
            throw new IOException("Cannot create Flink's " + backendType + " backend: " + e, e);
        }
    }

    private static EmbeddedRocksDBStateBackend rocksdb() throws IOException {
        // Managed memory as in a task manager slot, and the same 256 MB as Cairn's default budget: a shared cache and
        // write buffer manager, index and filter blocks in the cache (what both libraries do by default).
        Configuration config = new Configuration();
        if (rocksdbConfiguration().equals("unmanaged")) {
            config.set(org.apache.flink.state.rocksdb.RocksDBOptions.USE_MANAGED_MEMORY, false);
        }
        EmbeddedRocksDBStateBackend rocksdb =
                new EmbeddedRocksDBStateBackend().configure(config, FlinkBackends.class.getClassLoader());
        Path directory = Files.createTempDirectory("flink-rocksdb-bench");
        rocksdb.setDbStoragePath(directory.toString());
        return rocksdb;
    }

    private static Environment environment(JobID jobId) {
        ClassLoader loader = FlinkBackends.class.getClassLoader();
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
                    case "getTmpWorkingDirectory" -> new java.io.File(System.getProperty("java.io.tmpdir"));
                    default -> unsupported(TaskManagerRuntimeInfo.class, method.getName());
                });
        ExecutionConfig executionConfig = new ExecutionConfig();
        org.apache.flink.runtime.memory.MemoryManager memoryManager =
                org.apache.flink.runtime.memory.MemoryManager.create(
                        managedMemoryBytes(), org.apache.flink.runtime.memory.MemoryManager.DEFAULT_PAGE_SIZE);
        org.apache.flink.runtime.io.disk.iomanager.IOManager ioManager =
                new org.apache.flink.runtime.io.disk.iomanager.IOManagerAsync(System.getProperty("java.io.tmpdir"));
        return proxy(Environment.class, (p, method, args) -> switch (method.getName()) {
            case "getTaskStateManager" -> taskState;
            case "getUserCodeClassLoader" -> userCode;
            case "getExecutionConfig" -> executionConfig;
            case "getJobID" -> jobId;
            case "getTaskManagerInfo" -> taskManager;
            case "getIOManager" -> ioManager;
            case "getMemoryManager" -> memoryManager;
            case "getJobConfiguration", "getTaskConfiguration" -> configuration;
            case "toString" -> "BenchmarkEnvironment";
            default -> unsupported(Environment.class, method.getName());
        });
    }

    private static Object unsupported(Class<?> type, String method) {
        throw new UnsupportedOperationException(
                "The benchmark's " + type.getSimpleName() + " does not provide " + method + "()");
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FlinkBackends.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}

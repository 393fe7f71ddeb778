package dev.cairn.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.conformance.MetricsCapture;
import dev.cairn.state.ConfigOption;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import dev.cairn.state.ReadableConfig;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.metrics.MetricRegistry;
import dev.cairn.state.rocksdb.internal.RocksDBKeyedStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

class EmbeddedRocksDBStateBackendTest {
    @TempDir
    Path directory;

    private static CheckpointableKeyedStateBackend<String> create(EmbeddedRocksDBStateBackend backend) {
        return backend.createKeyedStateBackend(
                KeyedBackendParameters.builder(Serializers.STRING).build());
    }

    /** Counts the calls it gets, and sets a distinctive option. */
    public static final class RecordingOptionsFactory implements ConfigurableRocksDBOptionsFactory {
        static int dbCalls;
        static int columnCalls;
        int configuredThreads = -1;

        @Override
        public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
            dbCalls++;
            return current.setMaxBackgroundJobs(configuredThreads > 0 ? configuredThreads : 3);
        }

        @Override
        public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handles) {
            columnCalls++;
            return current.setMaxWriteBufferNumber(5);
        }

        @Override
        public RocksDBOptionsFactory configure(ReadableConfig configuration) {
            configuredThreads = configuration.get(RocksDBOptions.MAX_BACKGROUND_THREADS);
            return this;
        }
    }

    @Test
    void theSeedsSnippetsWork() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(true);
        backend.setPredefinedOptions(PredefinedOptions.SPINNING_DISK_OPTIMIZED_HIGH_MEM);
        backend.setRocksDBOptions(new RecordingOptionsFactory());
        backend.setDbStoragePaths(directory.toString());
        int before = RecordingOptionsFactory.columnCalls;
        try (CheckpointableKeyedStateBackend<String> keyed = create(backend)) {
            keyed.setCurrentKey("k");
            keyed.getState(new ValueStateDescriptor<>("v", Serializers.LONG)).update(1L);
            assertThat(keyed.getState(new ValueStateDescriptor<>("v", Serializers.LONG))
                            .value())
                    .isEqualTo(1L);
        }
        assertThat(backend.isIncrementalCheckpointsEnabled()).isTrue();
        assertThat(RecordingOptionsFactory.columnCalls).isGreaterThan(before);
    }

    @Test
    void optionsFactoryByConfigurationKeyIsConfigured() {
        Configuration config = new Configuration()
                .setString(RocksDBOptions.OPTIONS_FACTORY.key(), RecordingOptionsFactory.class.getName())
                .setString(RocksDBOptions.MAX_BACKGROUND_THREADS.key(), "6")
                .setString(RocksDBOptions.LOCAL_DIRECTORIES.key(), directory.toString());
        EmbeddedRocksDBStateBackend backend =
                new EmbeddedRocksDBStateBackend().configure(config, getClass().getClassLoader());
        assertThat(backend.getRocksDBOptions()).isInstanceOf(RecordingOptionsFactory.class);
        assertThat(((RecordingOptionsFactory) backend.getRocksDBOptions()).configuredThreads)
                .isEqualTo(6);
        int before = RecordingOptionsFactory.dbCalls;
        create(backend).close();
        assertThat(RecordingOptionsFactory.dbCalls).isEqualTo(before + 1);
    }

    @Test
    void codeSettingsWinOverConfiguration() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(false);
        backend.setPredefinedOptions(PredefinedOptions.FLASH_SSD_OPTIMIZED);
        Configuration config = new Configuration()
                .setString(RocksDBOptions.PREDEFINED_OPTIONS.key(), "SPINNING_DISK_OPTIMIZED")
                .setString("execution.checkpointing.incremental", "true");
        EmbeddedRocksDBStateBackend configured =
                backend.configure(config, getClass().getClassLoader());
        assertThat(configured.getPredefinedOptions()).isEqualTo(PredefinedOptions.FLASH_SSD_OPTIMIZED);
        assertThat(configured.isIncrementalCheckpointsEnabled()).isFalse();
    }

    @Test
    void transferThreadsMustBePositive() {
        assertThatThrownBy(() -> new EmbeddedRocksDBStateBackend(true)
                        .configure(
                                new Configuration().setString(RocksDBOptions.CHECKPOINT_TRANSFER_THREAD_NUM.key(), "0"),
                                getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.rocksdb.checkpoint.transfer.thread.num")
                .hasMessageContaining(">= 1");
        assertThat(new Configuration().get(RocksDBOptions.CHECKPOINT_TRANSFER_THREAD_NUM))
                .as("Flink's default")
                .isEqualTo(4);
    }

    @Test
    void invalidMemorySettingsAreClearErrors() {
        assertThatThrownBy(() -> new EmbeddedRocksDBStateBackend()
                        .configure(
                                new Configuration().setString(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO.key(), "0"),
                                getClass().getClassLoader()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(RocksDBOptions.HIGH_PRIORITY_POOL_RATIO.key());
        assertThatThrownBy(() -> new EmbeddedRocksDBStateBackend()
                        .configure(
                                new Configuration()
                                        .setString(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE.key(), "64mb")
                                        .setString(RocksDBOptions.FIX_PER_TM_MEMORY_SIZE.key(), "1gb"),
                                getClass().getClassLoader()))
                .hasMessageContaining("fixed-per-slot")
                .hasMessageContaining("fixed-per-tm");
        assertThatThrownBy(() -> new RocksDBMemoryBudget(MemorySize.ofMebiBytes(8), 0, 0.1))
                .hasMessageContaining("write-buffer-ratio");
    }

    private static EmbeddedRocksDBStateBackend configuredWith(ConfigOption<?> option, String value) {
        return new EmbeddedRocksDBStateBackend()
                .configure(
                        new Configuration().setString(option.key(), value),
                        EmbeddedRocksDBStateBackendTest.class.getClassLoader());
    }

    @Test
    void memorySizesBeyondTheMachineOrTooSmallToWorkAreRefusedNamingKeyAndValue() {
        for (ConfigOption<?> option : List.of(
                RocksDBOptions.WRITE_BUFFER_SIZE,
                RocksDBOptions.BLOCK_CACHE_SIZE,
                RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE,
                RocksDBOptions.FIX_PER_TM_MEMORY_SIZE)) {
            assertThatThrownBy(() -> configuredWith(option, "999999tb"))
                    .isInstanceOf(IllegalConfigurationException.class)
                    .hasMessageContaining(option.key())
                    .hasMessageContaining("999999tb")
                    .hasMessageContaining("physical memory");
        }
        assertThatThrownBy(() -> configuredWith(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE, "1 b"))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(RocksDBOptions.FIX_PER_SLOT_MEMORY_SIZE.key())
                .hasMessageContaining("at least 1mb");
        assertThatThrownBy(() -> configuredWith(RocksDBOptions.WRITE_BUFFER_SIZE, "99999999999999999tb"))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("Invalid value for configuration key '" + RocksDBOptions.WRITE_BUFFER_SIZE.key()
                        + "': '99999999999999999tb' is too large: a memory size is at most 8 EiB (2^63 - 1 bytes)");
        assertThat(configuredWith(RocksDBOptions.WRITE_BUFFER_SIZE, "256mb")).isNotNull();
    }

    @Test
    void workingDirectoriesAreSpreadRemovedOnCloseAndLeftoversCleaned() throws IOException {
        Path first = directory.resolve("a");
        Path second = directory.resolve("b");
        Files.createDirectories(first);
        Path leftover = Files.createDirectories(first.resolve("cairn-rocksdb-999999999-dead-op"));
        Files.writeString(leftover.resolve("CURRENT"), "x");
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setDbStoragePaths(first.toString(), second.toString());
        List<CheckpointableKeyedStateBackend<String>> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(create(backend));
        }
        assertThat(leftover).doesNotExist();
        try (Stream<Path> a = Files.list(first);
                Stream<Path> b = Files.list(second)) {
            assertThat(a.count()).isEqualTo(2);
            assertThat(b.count()).isEqualTo(2);
        }
        open.forEach(CheckpointableKeyedStateBackend::close);
        open.forEach(CheckpointableKeyedStateBackend::close); // idempotent
        try (Stream<Path> a = Files.list(first);
                Stream<Path> b = Files.list(second)) {
            assertThat(a.count() + b.count()).isZero();
        }
    }

    /** Claims to write a value longer than any byte array can hold. */
    static final class HugeSerializer extends TypeSerializer<String> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public String copy(String from) {
            return from;
        }

        @Override
        public void serialize(String value, DataOutput out) throws IOException {
            out.write(new byte[1], 0, Integer.MAX_VALUE);
        }

        @Override
        public String deserialize(DataInput in) {
            throw new UnsupportedOperationException("never written");
        }

        @Override
        public TypeSerializerSnapshot<String> snapshotConfiguration() {
            return Serializers.STRING.snapshotConfiguration();
        }
    }

    @Test
    void valuesBeyondRocksDbsLimitFailAtWriteTime() {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setDbStoragePaths(directory.toString());
        try (CheckpointableKeyedStateBackend<String> keyed = create(backend)) {
            ValueState<String> state = keyed.getState(new ValueStateDescriptor<>("huge", new HugeSerializer()));
            keyed.setCurrentKey("k");
            assertThatThrownBy(() -> state.update("x"))
                    .isInstanceOf(StateBackendException.class)
                    .hasMessageContaining("'huge'")
                    .hasMessageContaining("2^31-1");
        }
    }

    @Test
    void nativeMetricsAndManagedMemoryAreGaugesOfTheBackendsMetricGroupUntilItCloses() {
        Configuration config = new Configuration()
                .set(RocksDBOptions.metric("estimate-num-keys"), true)
                .set(RocksDBOptions.metric("block-cache-capacity"), true)
                .set(RocksDBOptions.USE_MANAGED_MEMORY, true)
                .setString(RocksDBOptions.LOCAL_DIRECTORIES.key(), directory.toString());
        EmbeddedRocksDBStateBackend backend =
                new EmbeddedRocksDBStateBackend().configure(config, getClass().getClassLoader());
        MetricRegistry registry = new MetricRegistry();
        MetricsCapture gauges = new MetricsCapture();
        registry.addReporter(gauges);
        try (CheckpointableKeyedStateBackend<String> keyed =
                backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .metricGroup(registry.addGroup("operator.id", "op"))
                        .build())) {
            ValueState<Long> state = keyed.getState(new ValueStateDescriptor<>("v", Serializers.LONG));
            for (int i = 0; i < 1000; i++) {
                keyed.setCurrentKey("k" + i);
                state.update((long) i);
            }
            // Native metrics count what RocksDB holds: the collected writes reach it with the next read.
            assertThat(((RocksDBKeyedStateBackend<String>) keyed)
                            .getNativeMetrics()
                            .snapshot()
                            .get("estimate-num-keys"))
                    .isZero();
            assertThat(state.value()).isEqualTo(999L);
            var metrics = ((RocksDBKeyedStateBackend<String>) keyed).getNativeMetrics();
            assertThat(metrics.enabled()).containsExactly("block-cache-capacity", "estimate-num-keys");
            Map<String, Long> values = metrics.snapshot();
            assertThat(values.get("estimate-num-keys")).isBetween(500L, 2000L);
            assertThat(values.get("block-cache-capacity")).isPositive();
            assertThat(gauges.gauge("cairn.rocksdb.estimate-num-keys", Map.of("operator.id", "op")))
                    .isBetween(500.0, 2000.0);
            assertThat(gauges.gauge("cairn.rocksdb.block-cache-capacity", Map.of("operator.id", "op")))
                    .isPositive();
            double total = gauges.gauge("cairn.memory.managed.total", Map.of("operator.id", "op"));
            assertThat(total).isPositive();
            assertThat(gauges.gauge("cairn.memory.managed.used", Map.of("operator.id", "op")))
                    .isBetween(0.0, total);
        }
        assertThat(gauges.ids()).as("a closed backend leaves no gauge behind").isEmpty();
    }
}

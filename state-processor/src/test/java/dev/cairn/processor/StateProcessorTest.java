package dev.cairn.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapState;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.StateTtlConfig;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.VoidNamespace;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints written by a real {@link StateEnvironment} (two instances of one operator) with every backend
 * variant, read back offline: what inspection and reading report is what the job wrote; converted and rescaled
 * savepoints restore with every key, value, list, map entry, timer and TTL timestamp.
 */
class StateProcessorTest {
    private static final String OPERATOR = "counter";
    private static final int KEYS = 300;

    @TempDir
    Path directory;

    static ValueStateDescriptor<Long> count() {
        return new ValueStateDescriptor<>("count", Serializers.LONG);
    }

    static ValueStateDescriptor<String> seen() {
        ValueStateDescriptor<String> seen = new ValueStateDescriptor<>("seen", Serializers.STRING);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        return seen;
    }

    static ListStateDescriptor<String> events() {
        return new ListStateDescriptor<>("events", Serializers.STRING);
    }

    static MapStateDescriptor<String, Integer> attributes() {
        return new MapStateDescriptor<>("attributes", Serializers.STRING, Serializers.INT);
    }

    private String writeCheckpoint(String variant) throws Exception {
        Configuration config = new Configuration();
        config.setString(
                "execution.checkpointing.dir",
                directory.resolve("checkpoints").toUri().toString());
        switch (variant) {
            case "hashmap" -> config.setString("state.backend.type", "hashmap");
            case "rocksdb" -> config.setString("state.backend.type", "rocksdb");
            case "hashmap-incremental" -> {
                config.setString("state.backend.type", "hashmap");
                config.setString("execution.checkpointing.incremental", "true");
            }
            case "rocksdb-incremental" -> {
                config.setString("state.backend.type", "rocksdb");
                config.setString("execution.checkpointing.incremental", "true");
            }
            case "changelog" -> {
                config.setString("state.backend.type", "hashmap");
                config.setString("state.changelog.enabled", "true");
                config.setString("state.changelog.storage", "filesystem");
                config.setString("state.changelog.periodic-materialize.enabled", "false");
                config.setString(
                        "state.changelog.dstl.dfs.base-path",
                        directory.resolve("changelog").toUri().toString());
            }
            default -> throw new IllegalArgumentException(variant);
        }
        try (StateEnvironment environment = StateEnvironment.create(config)) {
            List<KeyedStateStore<String>> stores = new java.util.ArrayList<>();
            for (int instance = 0; instance < 2; instance++) {
                KeyedStateStore<String> store = environment.keyedBackend(OPERATOR, Serializers.STRING, instance, 2);
                stores.add(store);
                KeyedTimerService<String, VoidNamespace> timers =
                        store.timerService("window-end", Serializers.VOID_NAMESPACE, timer -> {});
                for (int i = 0; i < KEYS; i++) {
                    String key = "k" + i;
                    if (!store.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                        continue;
                    }
                    store.setCurrentKey(key);
                    store.getState(count()).update((long) i);
                    store.getState(seen()).update("v" + i);
                    ListState<String> list = store.getState(events());
                    list.add("a" + i);
                    list.add("b" + i);
                    MapState<String, Integer> map = store.getState(attributes());
                    map.put("x", i);
                    map.put("y", -i);
                    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, 1_000L + i);
                }
            }
            environment
                    .operatorStateBackend("source", 0, 1)
                    .getListState(new ListStateDescriptor<>("offsets", Serializers.LONG))
                    .add(42L);
            if (variant.equals("hashmap-incremental")) {
                // A chain: a full checkpoint, then a delta that rewrites a few keys (to the same values).
                environment.triggerCheckpoint().get();
                for (KeyedStateStore<String> store : stores) {
                    for (int i = 0; i < 10; i++) {
                        String key = "k" + i;
                        if (store.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                            store.setCurrentKey(key);
                            store.getState(count()).update((long) i);
                            store.getState(events()).add("b" + i);
                            store.getState(events()).update(List.of("a" + i, "b" + i));
                        }
                    }
                }
            }
            return environment.triggerCheckpoint().get().getPointer();
        }
    }

    private static Configuration readConfig(Path directory) {
        Configuration config = new Configuration();
        config.setString(
                "state.changelog.dstl.dfs.base-path",
                directory.resolve("changelog").toUri().toString());
        return config;
    }

    private CheckpointView open(String pointer) throws Exception {
        return Checkpoints.open(pointer, readConfig(directory), getClass().getClassLoader());
    }

    private static Map<Object, Object> values(OperatorView operator, String state) throws Exception {
        try (Stream<KeyedEntry> entries = operator.entries(state)) {
            return entries.collect(Collectors.toMap(KeyedEntry::key, KeyedEntry::value));
        }
    }

    private static void assertHoldsWhatWasWritten(CheckpointView view, int maxParallelism) throws Exception {
        OperatorView operator = view.operator(OPERATOR);
        assertThat(operator.keyedStates())
                .extracting(StateInfo::name)
                .contains("count", "seen", "events", "attributes", "window-end/event-time");
        assertThat(operator.keyedStates())
                .filteredOn(state -> state.name().equals("seen"))
                .singleElement()
                .satisfies(state -> assertThat(state.ttl()).isTrue());
        assertThat(operator.maxParallelism()).hasValue(maxParallelism);
        Map<Object, Object> counts = values(operator, "count");
        assertThat(counts).hasSize(KEYS);
        for (int i = 0; i < KEYS; i++) {
            assertThat(counts).containsEntry("k" + i, (long) i);
        }
        assertThat(values(operator, "events")).containsEntry("k7", List.of("a7", "b7"));
        try (Stream<KeyedEntry> seen = operator.entries("seen")) {
            assertThat(seen.filter(entry -> entry.key().equals("k3")))
                    .singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.value()).isEqualTo("v3");
                        assertThat(entry.ttlTimestamp()).isPositive();
                    });
        }
        Map<String, Integer> attributesOfK5 = new HashMap<>();
        try (Stream<KeyedEntry> attributes = operator.entries("attributes")) {
            attributes.filter(entry -> entry.key().equals("k5")).forEach(entry -> {
                Map.Entry<?, ?> mapEntry = (Map.Entry<?, ?>) entry.value();
                attributesOfK5.put((String) mapEntry.getKey(), (Integer) mapEntry.getValue());
            });
        }
        assertThat(attributesOfK5).isEqualTo(Map.of("x", 5, "y", -5));
        assertThat(values(operator, "window-end/event-time")).containsEntry("k9", 1_009L);
        Map<String, StateSize> sizes = operator.stateSizes();
        assertThat(sizes.get("count").entries()).isEqualTo(KEYS);
        assertThat(sizes.get("count").bytes()).isGreaterThanOrEqualTo(KEYS * (2L + Long.BYTES));
        assertThat(sizes.get("events").entries()).isEqualTo(KEYS); // one list per key
        assertThat(sizes.get("attributes").entries()).isEqualTo(2L * KEYS); // one record per map entry
        assertThat(sizes.get("window-end/event-time").entries()).isEqualTo(KEYS);
        assertThat(operator.keyGroupRanges().stream()
                        .mapToInt(range -> range[1] - range[0] + 1)
                        .sum())
                .isEqualTo(maxParallelism);
        assertThat(view.operator("source").operatorStates()).containsExactly("offsets");
        assertThat(view.operator("source").operatorStateEntries("offsets"))
                .containsExactly(new OperatorEntry(0, "SPLIT_DISTRIBUTE", 42L));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "hashmap-incremental", "rocksdb", "rocksdb-incremental", "changelog"})
    void readsConvertsAndVerifiesWhatTheJobWrote(String variant) throws Exception {
        String pointer = writeCheckpoint(variant);
        String savepoint;
        try (CheckpointView view = open(pointer)) {
            assertThat(view.isSavepoint()).isFalse();
            if (variant.equals("hashmap-incremental")) {
                assertThat(view.operator(OPERATOR).formats()).containsExactly("heap-incremental");
            }
            assertHoldsWhatWasWritten(view, 128);
            VerifyReport report = view.verify(true, file -> {});
            assertThat(report.problems()).isEmpty();
            assertThat(report.entries()).isGreaterThanOrEqualTo(5L * KEYS);
            savepoint = Savepoints.convert(view, directory.resolve("savepoints").toString());
        }
        try (CheckpointView converted = open(savepoint)) {
            assertThat(converted.isSavepoint()).isTrue();
            assertThat(converted.operator(OPERATOR).formats()).containsExactly("canonical");
            assertHoldsWhatWasWritten(converted, 128);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "hashmap-incremental", "rocksdb-incremental"})
    void rescaledToANewMaxParallelismEveryKeyIsFoundByARestore(String variant) throws Exception {
        String pointer = writeCheckpoint(variant);
        String rescaled;
        Map<Object, Long> writtenAt = new HashMap<>();
        try (CheckpointView view = open(pointer)) {
            try (Stream<KeyedEntry> seen = view.operator(OPERATOR).entries("seen")) {
                seen.forEach(entry -> writtenAt.put(entry.key(), entry.ttlTimestamp()));
            }
            rescaled = Savepoints.rescale(
                    view, 3, 256, directory.resolve("rescaled").toString());
        }
        assertThat(writtenAt).hasSize(KEYS);
        try (CheckpointView view = open(rescaled)) {
            OperatorView operator = view.operator(OPERATOR);
            assertThat(operator.keyedInstances()).isEqualTo(3);
            assertHoldsWhatWasWritten(view, 256);
            // The job restores 3 instances over 256 key groups, on both backends, and finds every key.
            for (boolean rocksdb : List.of(false, true)) {
                Map<String, Long> counts = new HashMap<>();
                Map<String, Long> timers = new HashMap<>();
                for (int instance = 0; instance < 3; instance++) {
                    restoreAndRead(view, instance, rocksdb, writtenAt, counts, timers);
                }
                assertThat(counts).hasSize(KEYS);
                assertThat(timers).hasSize(KEYS);
                for (int i = 0; i < KEYS; i++) {
                    assertThat(counts).containsEntry("k" + i, (long) i);
                    assertThat(timers).containsEntry("k" + i, 1_000L + i);
                }
            }
        }
    }

    private CheckpointableKeyedStateBackend<String> createBackend(
            KeyedBackendParameters<String> parameters, boolean rocksdb, int instance) {
        if (!rocksdb) {
            return new HashMapStateBackend().createKeyedStateBackend(parameters);
        }
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setDbStoragePaths(directory.resolve("rocksdb-" + instance).toString());
        return backend.createKeyedStateBackend(parameters);
    }

    /**
     * Restores one of 3 instances over 256 key groups and reads every key it owns: values, lists, maps, the TTL
     * state just before and just after its recorded expiry, and the timers, fired by a final watermark.
     */
    private void restoreAndRead(
            CheckpointView view,
            int instance,
            boolean rocksdb,
            Map<Object, Long> writtenAt,
            Map<String, Long> counts,
            Map<String, Long> timers)
            throws Exception {
        long[] now = {0};
        KeyedBackendParameters<String> parameters = KeyedBackendParameters.builder(Serializers.STRING)
                .operatorIdentifier(OPERATOR)
                .numberOfKeyGroups(256)
                .instance(instance, 3)
                .restoreFrom(view.checkpoint().getKeyedState(OPERATOR))
                .ttlTimeProvider(() -> now[0])
                .build();
        try (CheckpointableKeyedStateBackend<String> backend = createBackend(parameters, rocksdb, instance)) {
            // TTL time only moves forward (heap state cleans up expired entries incrementally as it is accessed):
            // every value is there just before the earliest recorded write expires, none once the latest has.
            long ttl = Duration.ofDays(1).toMillis();
            List<String> owned = new ArrayList<>();
            now[0] = java.util.Collections.min(writtenAt.values()) + ttl - 1;
            for (int i = 0; i < KEYS; i++) {
                String key = "k" + i;
                if (!backend.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 256))) {
                    continue;
                }
                owned.add(key);
                backend.setCurrentKey(key);
                Long value = backend.getState(count()).value();
                if (value != null) {
                    counts.put(key, value);
                }
                assertThat(backend.getState(events()).get()).containsExactly("a" + i, "b" + i);
                assertThat(backend.getState(attributes()).get("y")).isEqualTo(-i);
                assertThat(backend.getState(seen()).value()).as(key).isEqualTo("v" + i);
            }
            now[0] = java.util.Collections.max(writtenAt.values()) + ttl;
            for (String key : owned) {
                backend.setCurrentKey(key);
                assertThat(backend.getState(seen()).value()).as(key).isNull();
            }
            KeyedTimerService<String, VoidNamespace> timerService = KeyedTimerService.create(
                    backend,
                    "window-end",
                    Serializers.VOID_NAMESPACE,
                    timer -> timers.put(timer.key(), timer.timestamp()));
            timerService.advanceWatermark(Long.MAX_VALUE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb-incremental"})
    void diffCountsAddedRemovedAndChangedEntries(String backend) throws Exception {
        Configuration config = new Configuration();
        config.setString(
                "execution.checkpointing.dir", directory.resolve("diff").toUri().toString());
        config.setString("state.backend.type", backend.startsWith("rocksdb") ? "rocksdb" : "hashmap");
        config.setString("execution.checkpointing.incremental", String.valueOf(backend.endsWith("incremental")));
        config.setString("execution.checkpointing.num-retained", "2");
        String first;
        String second;
        try (StateEnvironment environment = StateEnvironment.create(config)) {
            KeyedStateStore<String> store = environment.keyedBackend(OPERATOR, Serializers.STRING);
            for (int i = 0; i < 100; i++) {
                store.setCurrentKey("k" + i);
                store.getState(count()).update((long) i);
            }
            first = environment.triggerCheckpoint().get().getPointer();
            for (int i = 0; i < 10; i++) {
                store.setCurrentKey("k" + i);
                store.getState(count()).update(-1L); // changed
            }
            for (int i = 10; i < 15; i++) {
                store.setCurrentKey("k" + i);
                store.getState(count()).clear(); // removed
            }
            for (int i = 100; i < 103; i++) {
                store.setCurrentKey("k" + i);
                store.getState(count()).update((long) i); // added
            }
            store.setCurrentKey("k50");
            store.getState(count()).update(50L); // rewritten with the same value: unchanged
            second = environment.triggerCheckpoint().get().getPointer();
        }
        try (CheckpointView before = open(first);
                CheckpointView after = open(second)) {
            assertThat(CheckpointDiff.compare(before, after))
                    .containsExactly(new CheckpointDiff.StateDiff(OPERATOR, "count", 3, 5, 10, 85));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void savepointWriterDropsRenamesTransformsAndBootstraps(String variant) throws Exception {
        String pointer = writeCheckpoint(variant);
        Map<String, String> regions = new HashMap<>();
        for (int i = 0; i < KEYS; i += 2) {
            regions.put("k" + i, i % 4 == 0 ? "eu" : "us");
        }
        String edited;
        Map<Object, Long> seenAt = new HashMap<>();
        try (CheckpointView view = open(pointer)) {
            try (Stream<KeyedEntry> seen = view.operator(OPERATOR).entries("seen")) {
                seen.forEach(entry -> seenAt.put(entry.key(), entry.ttlTimestamp()));
            }
            edited = SavepointWriter.fromExisting(view)
                    .removeState(OPERATOR, "events")
                    .renameState(OPERATOR, "attributes", "attrs")
                    .transformValues(OPERATOR, "count", Serializers.STRING, value -> "n=" + value)
                    // TTL state: the user value changes type, each value keeps its last-access timestamp
                    .transformValues(OPERATOR, "seen", Serializers.INT, value -> ((String) value).length())
                    .addValueState(
                            OPERATOR,
                            Serializers.STRING,
                            new ValueStateDescriptor<>("region", Serializers.STRING),
                            regions.entrySet())
                    .addValueState(
                            "lookup",
                            Serializers.STRING,
                            new ValueStateDescriptor<>("label", Serializers.INT),
                            Map.of("a", 1, "b", 2).entrySet())
                    .write(directory.resolve("edited").toString());
        }
        try (CheckpointView view = open(edited)) {
            OperatorView operator = view.operator(OPERATOR);
            assertThat(operator.keyedStates())
                    .extracting(StateInfo::name)
                    .contains("count", "attrs", "region", "seen")
                    .doesNotContain("events", "attributes");
            assertThat(values(operator, "count")).containsEntry("k7", "n=7").hasSize(KEYS);
            assertThat(operator.keyedStates())
                    .filteredOn(state -> state.name().equals("seen"))
                    .singleElement()
                    .satisfies(state -> assertThat(state.ttl()).isTrue());
            try (Stream<KeyedEntry> seen = operator.entries("seen")) {
                assertThat(seen.collect(Collectors.toMap(KeyedEntry::key, KeyedEntry::ttlTimestamp)))
                        .isEqualTo(seenAt);
            }
            assertThat(values(operator, "seen")).containsEntry("k7", 2).containsEntry("k123", 4);
            assertThat(values(operator, "region")).isEqualTo(new HashMap<Object, Object>(regions));
            assertThat(values(view.operator("lookup"), "label")).isEqualTo(Map.of("a", 1, "b", 2));
            // The application restores with the new serializer and names.
            for (int instance = 0; instance < 2; instance++) {
                long latestWrite = java.util.Collections.max(seenAt.values());
                KeyedBackendParameters<String> parameters = KeyedBackendParameters.builder(Serializers.STRING)
                        .operatorIdentifier(OPERATOR)
                        .instance(instance, 2)
                        .restoreFrom(view.checkpoint().getKeyedState(OPERATOR))
                        .ttlTimeProvider(() -> latestWrite)
                        .build();
                ValueStateDescriptor<Integer> seenLength = new ValueStateDescriptor<>("seen", Serializers.INT);
                seenLength.enableTimeToLive(
                        StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
                try (CheckpointableKeyedStateBackend<String> backend =
                        new HashMapStateBackend().createKeyedStateBackend(parameters)) {
                    for (int i = 0; i < KEYS; i++) {
                        String key = "k" + i;
                        if (!backend.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                            continue;
                        }
                        backend.setCurrentKey(key);
                        assertThat(backend.getState(new ValueStateDescriptor<>("count", Serializers.STRING))
                                        .value())
                                .isEqualTo("n=" + i);
                        assertThat(backend.getState(
                                                new MapStateDescriptor<>("attrs", Serializers.STRING, Serializers.INT))
                                        .get("x"))
                                .isEqualTo(i);
                        assertThat(backend.getState(new ValueStateDescriptor<>("region", Serializers.STRING))
                                        .value())
                                .isEqualTo(regions.get(key));
                        assertThat(backend.getState(seenLength).value()).isEqualTo(("v" + i).length());
                    }
                }
            }
        }
        try (CheckpointView view = open(pointer)) {
            assertThatThrownBy(() -> SavepointWriter.fromExisting(view)
                            .transformValues(OPERATOR, "window-end/event-time", Serializers.STRING, String::valueOf)
                            .write(directory.resolve("refused").toString()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'window-end/event-time'")
                    .hasMessageContaining("timer queue");
            assertThatThrownBy(() -> SavepointWriter.fromExisting(view)
                            .removeState(OPERATOR, "nope")
                            .write(directory.resolve("refused").toString()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nope'");
        }
    }

    @ParameterizedTest(name = "restored by {0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSavepointFromNothingRestoresItsBootstrappedValueListAndMapState(String backendName) throws Exception {
        Map<String, String> names = new HashMap<>();
        Map<String, List<Long>> visits = new HashMap<>();
        Map<String, Map<String, String>> preferences = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            names.put("u" + i, "name-" + i);
            visits.put("u" + i, List.of((long) i, i + 1L));
            Map<String, String> prefs = new HashMap<>();
            prefs.put("lang", i % 2 == 0 ? "en" : "de");
            prefs.put("theme", null); // a map value may be null
            preferences.put("u" + i, prefs);
        }
        ValueStateDescriptor<String> name = new ValueStateDescriptor<>("name", Serializers.STRING);
        ListStateDescriptor<Long> visit = new ListStateDescriptor<>("visits", Serializers.LONG);
        MapStateDescriptor<String, String> pref =
                new MapStateDescriptor<>("prefs", Serializers.STRING, Serializers.STRING);
        String pointer = SavepointWriter.newSavepoint(64)
                .addValueState("users", Serializers.STRING, name, names.entrySet())
                .addListState("users", Serializers.STRING, visit, visits.entrySet())
                .addMapState("users", Serializers.STRING, pref, preferences.entrySet())
                .write(directory.resolve("bootstrapped").toString());
        try (CheckpointView view = open(pointer)) {
            assertThat(view.isSavepoint()).isTrue();
            OperatorView users = view.operator("users");
            assertThat(users.maxParallelism()).hasValue(64);
            assertThat(users.stateSizes().get("name").entries()).isEqualTo(KEYS);
            assertThat(users.stateSizes().get("visits").entries()).isEqualTo(KEYS);
            assertThat(users.stateSizes().get("prefs").entries()).isEqualTo(2L * KEYS);
            assertThat(values(users, "name")).isEqualTo(new HashMap<Object, Object>(names));
            int found = 0;
            for (int instance = 0; instance < 2; instance++) {
                KeyedBackendParameters<String> parameters = KeyedBackendParameters.builder(Serializers.STRING)
                        .operatorIdentifier("users")
                        .numberOfKeyGroups(64)
                        .instance(instance, 2)
                        .restoreFrom(view.checkpoint().getKeyedState("users"))
                        .build();
                try (CheckpointableKeyedStateBackend<String> backend =
                        createBackend(parameters, backendName.equals("rocksdb"), instance)) {
                    for (int i = 0; i < KEYS; i++) {
                        String key = "u" + i;
                        if (!backend.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 64))) {
                            continue;
                        }
                        found++;
                        backend.setCurrentKey(key);
                        assertThat(backend.getState(name).value()).isEqualTo("name-" + i);
                        assertThat(backend.getState(visit).get()).containsExactly((long) i, i + 1L);
                        MapState<String, String> prefs = backend.getState(pref);
                        assertThat(prefs.get("lang")).isEqualTo(i % 2 == 0 ? "en" : "de");
                        assertThat(prefs.contains("theme")).isTrue();
                        assertThat(prefs.get("theme")).isNull();
                    }
                }
            }
            assertThat(found).isEqualTo(KEYS);
        }
        assertThatThrownBy(() -> SavepointWriter.newSavepoint(64)
                        .addValueState(
                                "users",
                                Serializers.STRING,
                                name,
                                Map.<String, String>of().entrySet())
                        .addValueState(
                                "users",
                                Serializers.STRING,
                                name,
                                Map.<String, String>of().entrySet()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'name'");
        assertThatThrownBy(() -> SavepointWriter.newSavepoint(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max parallelism");
    }

    @ParameterizedTest(name = "restored by {0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void bootstrappedTtlStateExpiresItsTimeToLiveAfterTheBootstrapTimestamp(String backendName) throws Exception {
        StateTtlConfig hour = StateTtlConfig.newBuilder(Duration.ofHours(1)).build();
        ValueStateDescriptor<String> token = new ValueStateDescriptor<>("token", Serializers.STRING);
        token.enableTimeToLive(hour);
        ListStateDescriptor<Long> logins = new ListStateDescriptor<>("logins", Serializers.LONG);
        logins.enableTimeToLive(hour);
        MapStateDescriptor<String, String> flags =
                new MapStateDescriptor<>("flags", Serializers.STRING, Serializers.STRING);
        flags.enableTimeToLive(hour);
        Map<String, String> tokens = new HashMap<>();
        Map<String, List<Long>> loginTimes = new HashMap<>();
        Map<String, Map<String, String>> flagMaps = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            tokens.put("u" + i, "t" + i);
            loginTimes.put("u" + i, List.of((long) i));
            Map<String, String> map = new HashMap<>();
            map.put("beta", "on");
            map.put("unset", null);
            flagMaps.put("u" + i, map);
        }
        long bootstrappedAt = 1_700_000_000_000L;
        String pointer = SavepointWriter.newSavepoint(32)
                .withTtlTimestamp(bootstrappedAt)
                .addValueState("sessions", Serializers.STRING, token, tokens.entrySet())
                .addListState("sessions", Serializers.STRING, logins, loginTimes.entrySet())
                .addMapState("sessions", Serializers.STRING, flags, flagMaps.entrySet())
                .write(directory.resolve("ttl-bootstrap").toString());
        try (CheckpointView view = open(pointer)) {
            OperatorView sessions = view.operator("sessions");
            assertThat(sessions.keyedStates())
                    .allSatisfy(
                            state -> assertThat(state.ttl()).as(state.name()).isTrue());
            try (Stream<KeyedEntry> entries = sessions.entries("token")) {
                assertThat(entries)
                        .hasSize(KEYS)
                        .allSatisfy(entry -> assertThat(entry.ttlTimestamp()).isEqualTo(bootstrappedAt));
            }
            long[] now = {bootstrappedAt + Duration.ofHours(1).toMillis() - 1};
            KeyedBackendParameters<String> parameters = KeyedBackendParameters.builder(Serializers.STRING)
                    .operatorIdentifier("sessions")
                    .numberOfKeyGroups(32)
                    .restoreFrom(view.checkpoint().getKeyedState("sessions"))
                    .ttlTimeProvider(() -> now[0])
                    .build();
            try (CheckpointableKeyedStateBackend<String> backend =
                    createBackend(parameters, backendName.equals("rocksdb"), 0)) {
                for (int i = 0; i < KEYS; i++) {
                    backend.setCurrentKey("u" + i);
                    assertThat(backend.getState(token).value()).isEqualTo("t" + i);
                    assertThat(backend.getState(logins).get()).containsExactly((long) i);
                    assertThat(backend.getState(flags).get("beta")).isEqualTo("on");
                    assertThat(backend.getState(flags).contains("unset")).isTrue();
                }
                now[0]++; // one hour after the bootstrap timestamp: everything has expired
                for (int i = 0; i < KEYS; i++) {
                    backend.setCurrentKey("u" + i);
                    assertThat(backend.getState(token).value()).isNull();
                    assertThat(backend.getState(logins).get()).isNullOrEmpty();
                    assertThat(backend.getState(flags).get("beta")).isNull();
                }
            }
        }
        assertThatThrownBy(() -> SavepointWriter.newSavepoint(32).withTtlTimestamp(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    /** An application's value class: stored as JSON. */
    public record Click(String page, int count) {}

    /** An application's enum. */
    public enum Tier {
        GOLD,
        SILVER
    }

    /** An application's value class with its own serializer (not JSON): without it, values are raw bytes. */
    public record Point(int x, int y) {}

    /** The application's own serializer of {@link Point}. */
    public static final class PointSerializer extends dev.cairn.state.TypeSerializer<Point> {
        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public Point copy(Point from) {
            return from;
        }

        @Override
        public void serialize(Point value, java.io.DataOutput out) throws java.io.IOException {
            out.writeInt(value.x());
            out.writeInt(value.y());
        }

        @Override
        public Point deserialize(java.io.DataInput in) throws java.io.IOException {
            return new Point(in.readInt(), in.readInt());
        }

        @Override
        public dev.cairn.state.TypeSerializerSnapshot<Point> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Its snapshot: one field, to show it survives a round trip through a tool that lacks the class. */
        public static final class Snapshot implements dev.cairn.state.TypeSerializerSnapshot<Point> {
            private String format = "xy-ints";

            @Override
            public int getCurrentVersion() {
                return 3;
            }

            @Override
            public void writeSnapshot(java.io.DataOutput out) throws java.io.IOException {
                out.writeUTF(format);
            }

            @Override
            public void readSnapshot(int readVersion, java.io.DataInput in, ClassLoader classLoader)
                    throws java.io.IOException {
                assertThat(readVersion).isEqualTo(3);
                format = in.readUTF();
            }

            @Override
            public dev.cairn.state.TypeSerializer<Point> restoreSerializer() {
                assertThat(format).isEqualTo("xy-ints");
                return new PointSerializer();
            }

            @Override
            public dev.cairn.state.TypeSerializerSchemaCompatibility<Point> resolveSchemaCompatibility(
                    dev.cairn.state.TypeSerializer<Point> newSerializer) {
                return dev.cairn.state.TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
        }
    }

    /** Sees Cairn and the JDK, not the application's classes: what a tool without --classpath sees. */
    private static final class WithoutApplicationClasses extends ClassLoader {
        WithoutApplicationClasses(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(Click.class.getName())
                    || name.equals(Tier.class.getName())
                    || name.startsWith(Point.class.getName())) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void readsJsonAndEnumStateWithoutTheApplicationsClasses(String backend) throws Exception {
        Configuration config = new Configuration();
        config.setString(
                "execution.checkpointing.dir",
                directory.resolve("classes").toUri().toString());
        config.setString("state.backend.type", backend);
        ValueStateDescriptor<Click> clicks = new ValueStateDescriptor<>("last-click", Serializers.json(Click.class));
        ListStateDescriptor<Tier> tiers = new ListStateDescriptor<>("tiers", Serializers.enumOf(Tier.class));
        ValueStateDescriptor<Point> positions = new ValueStateDescriptor<>("position", new PointSerializer());
        ListStateDescriptor<Point> tracks = new ListStateDescriptor<>("track", new PointSerializer());
        String pointer;
        try (StateEnvironment environment = StateEnvironment.create(config)) {
            KeyedStateStore<String> store = environment.keyedBackend(OPERATOR, Serializers.STRING);
            store.setCurrentKey("alice");
            store.getState(clicks).update(new Click("/home", 3));
            store.getState(tiers).add(Tier.SILVER);
            store.getState(tiers).add(Tier.GOLD);
            store.getState(positions).update(new Point(7, -1));
            store.getState(tracks).add(new Point(1, 2));
            pointer = environment.triggerCheckpoint().get().getPointer();
        }
        ClassLoader without = new WithoutApplicationClasses(getClass().getClassLoader());
        String rescaled;
        try (CheckpointView view = Checkpoints.open(pointer, new Configuration(), without)) {
            OperatorView operator = view.operator(OPERATOR);
            assertThat(operator.keyedStates())
                    .filteredOn(state -> state.name().equals("position"))
                    .singleElement()
                    .satisfies(state -> assertThat(state.valueSerializers())
                            .containsExactly(PointSerializer.Snapshot.class.getName() + " (class missing: raw bytes)"));
            // A value of a missing serializer class is its raw bytes; list elements too (each is delimited).
            assertThat((byte[]) values(operator, "position").get("alice"))
                    .containsExactly(0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff);
            assertThat((List<?>) values(operator, "track").get("alice"))
                    .singleElement()
                    .isEqualTo(new byte[] {0, 0, 0, 1, 0, 0, 0, 2});
            // Copied as bytes, the state keeps its serializer snapshot: the rescaled savepoint restores with it.
            rescaled = Savepoints.rescale(
                    view, 2, 256, directory.resolve("rescaled").toString());
            Object click = values(operator, "last-click").get("alice");
            assertThat(click).isInstanceOf(com.fasterxml.jackson.databind.JsonNode.class);
            assertThat(((com.fasterxml.jackson.databind.JsonNode) click)
                            .get("page")
                            .asText())
                    .isEqualTo("/home");
            assertThat(((com.fasterxml.jackson.databind.JsonNode) click)
                            .get("count")
                            .asInt())
                    .isEqualTo(3);
            assertThat(values(operator, "tiers")).containsEntry("alice", List.of("SILVER", "GOLD"));
        }
        try (CheckpointView view = open(rescaled)) {
            assertThat(values(view.operator(OPERATOR), "position")).containsEntry("alice", new Point(7, -1));
            assertThat(values(view.operator(OPERATOR), "track")).containsEntry("alice", List.of(new Point(1, 2)));
        }
        try (CheckpointView view = open(pointer)) {
            assertThat(values(view.operator(OPERATOR), "last-click")).containsEntry("alice", new Click("/home", 3));
            assertThat(values(view.operator(OPERATOR), "tiers"))
                    .containsEntry("alice", List.of(Tier.SILVER, Tier.GOLD));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap"})
    void unknownOperatorsAndStatesAreClearErrors(String variant) throws Exception {
        String pointer = writeCheckpoint(variant);
        try (CheckpointView view = open(pointer)) {
            assertThatThrownBy(() -> view.operator("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nope'")
                    .hasMessageContaining(OPERATOR);
            assertThatThrownBy(() -> view.operator(OPERATOR).entries("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nope'")
                    .hasMessageContaining("count");
        }
        assertThatThrownBy(() -> open(directory.resolve("not-a-checkpoint").toString()))
                .hasMessageContaining("not-a-checkpoint");
    }
}

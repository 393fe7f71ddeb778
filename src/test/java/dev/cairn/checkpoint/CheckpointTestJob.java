package dev.cairn.checkpoint;

import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateBackend;
import dev.cairn.state.spi.StateScope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small keyed "job" for storage tests: {@code parallelism} backends (heap unless given) of operator {@code counts}, each
 * owning its key groups, with a value and a map state per key. {@link #contents()} reads everything back.
 */
final class CheckpointTestJob implements AutoCloseable {
    static final String OPERATOR = "counts";
    static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value", Serializers.LONG);
    static final MapStateDescriptor<String, String> MAP =
            new MapStateDescriptor<>("map", Serializers.STRING, Serializers.STRING);

    final List<CheckpointableKeyedStateBackend<String>> instances = new ArrayList<>();
    private final int keys;

    CheckpointTestJob(int parallelism, int keys, List<KeyedStateHandle> restoreFrom) {
        this(new HashMapStateBackend(), parallelism, keys, restoreFrom);
    }

    CheckpointTestJob(StateBackend backend, int parallelism, int keys, List<KeyedStateHandle> restoreFrom) {
        this.keys = keys;
        for (int index = 0; index < parallelism; index++) {
            instances.add(backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                    .operatorIdentifier(OPERATOR)
                    .instance(index, parallelism)
                    .restoreFrom(restoreFrom)
                    .build()));
        }
    }

    void registerWith(CheckpointCoordinator coordinator) {
        instances.forEach(backend -> coordinator.registerKeyedBackend(OPERATOR, backend));
    }

    private CheckpointableKeyedStateBackend<String> ownerOf(String key) {
        for (CheckpointableKeyedStateBackend<String> backend : instances) {
            if (backend.getKeyGroupRange()
                    .contains(dev.cairn.state.KeyGroupRangeAssignment.assignToKeyGroup(
                            key, backend.getNumberOfKeyGroups()))) {
                backend.setCurrentKey(key);
                return backend;
            }
        }
        throw new IllegalStateException("No owner for " + key);
    }

    /** Writes generation {@code round} of the state: values and map entries depend on it. */
    void write(int round) {
        for (int i = 0; i < keys; i++) {
            String key = "key-" + i;
            CheckpointableKeyedStateBackend<String> backend = ownerOf(key);
            backend.getState(VALUE).update((long) round * 1_000_000 + i);
            backend.getState(MAP).put("round-" + round, "v" + i);
        }
    }

    /** Sets one key's value to generation {@code round}. */
    void update(String key, int round) {
        ownerOf(key).getState(VALUE).update((long) round * 1_000_000 + key.hashCode());
    }

    /**
     * What a restarted job sees: {@code coordinator} (fresh, on the job's storage) restores the latest checkpoint
     * into {@code parallelism} instances of {@code backend}; returns their contents.
     */
    static Map<String, String> restoreLatest(
            CheckpointCoordinator coordinator, StateBackend backend, int parallelism, int keys) throws IOException {
        List<KeyedStateHandle> handles = coordinator
                .restoreLatest()
                .map(session -> session.keyedState(OPERATOR))
                .orElse(List.of());
        try (CheckpointTestJob job = new CheckpointTestJob(backend, parallelism, keys, handles)) {
            return job.contents();
        }
    }

    /** The names of the shared files the given checkpoints reference (what the shared directory must hold). */
    static Set<String> sharedFileNames(List<CompletedCheckpoint> checkpoints) {
        Set<String> names = new TreeSet<>();
        for (CompletedCheckpoint checkpoint : checkpoints) {
            for (FileStateHandle file : checkpoint.files()) {
                if (file.getScope() == StateScope.SHARED) {
                    names.add(file.getPath().getName());
                }
            }
        }
        return names;
    }

    /** Everything the job holds, as sorted text, for exact comparisons. */
    Map<String, String> contents() {
        Map<String, String> contents = new TreeMap<>();
        for (int i = 0; i < keys; i++) {
            String key = "key-" + i;
            CheckpointableKeyedStateBackend<String> backend = ownerOf(key);
            Long value = backend.getState(VALUE).value();
            if (value != null) {
                contents.put(key + "/value", value.toString());
            }
            for (Map.Entry<String, String> entry : backend.getState(MAP).entries()) {
                contents.put(key + "/map/" + entry.getKey(), entry.getValue());
            }
        }
        return contents;
    }

    @Override
    public void close() {
        instances.forEach(CheckpointableKeyedStateBackend::close);
    }
}

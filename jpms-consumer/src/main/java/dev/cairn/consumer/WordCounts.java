package dev.cairn.consumer;

import dev.cairn.config.StateEnvironment;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts words in keyed state, checkpointed to a directory — an application written against Cairn's API alone. */
public final class WordCounts implements AutoCloseable {
    private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count", Serializers.LONG);

    private final StateEnvironment env;
    private final KeyedStateStore<String> counts;
    private final ValueState<Long> count;

    /**
     * Starts (or resumes from the latest checkpoint in {@code checkpoints}) a job named {@code job}.
     *
     * @param checkpoints the checkpoint directory
     * @param job the job's name
     */
    public WordCounts(Path checkpoints, String job) {
        this(checkpoints, job, Map.of());
    }

    /**
     * Starts (or resumes) a job named {@code job} with further settings; without {@code state.backend.type} among
     * them, on the heap backend set in code.
     *
     * @param checkpoints the checkpoint directory
     * @param job the job's name
     * @param settings further configuration, e.g. {@code state.backend.type: rocksdb}
     */
    public WordCounts(Path checkpoints, String job, Map<String, String> settings) {
        Map<String, String> configuration = new HashMap<>(settings);
        configuration.put("pipeline.name", job);
        configuration.put("execution.checkpointing.dir", checkpoints.toUri().toString());
        env = StateEnvironment.create(Configuration.fromMap(configuration));
        if (!settings.containsKey("state.backend.type")) {
            env.setStateBackend(new HashMapStateBackend());
        }
        counts = env.keyedBackend("word-counter", Serializers.STRING);
        count = counts.getState(COUNT);
    }

    /**
     * The name of the backend in use, as the environment loaded it.
     *
     * @return e.g. {@code rocksdb}
     */
    public String backendName() {
        return env.getStateBackend().getName();
    }

    /**
     * Counts {@code words}.
     *
     * @param words the words
     */
    public void count(List<String> words) {
        for (String word : words) {
            counts.setCurrentKey(word);
            Long current = count.value();
            count.update(current == null ? 1 : current + 1);
        }
    }

    /**
     * The count of {@code word}.
     *
     * @param word the word
     * @return how often it was counted, 0 if never
     */
    public long countOf(String word) {
        counts.setCurrentKey(word);
        Long current = count.value();
        return current == null ? 0 : current;
    }

    /**
     * Takes a checkpoint and waits for it.
     *
     * @throws Exception if the checkpoint fails
     */
    public void checkpoint() throws Exception {
        env.triggerCheckpoint().get();
    }

    @Override
    public void close() {
        env.close();
    }
}

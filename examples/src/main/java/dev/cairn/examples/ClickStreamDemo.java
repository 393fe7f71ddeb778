package dev.cairn.examples;

import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStats;
import dev.cairn.config.StateEnvironment;
import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A streaming job on generated click events: per-user tumbling event-time windows (count and sum of amounts),
 * fired when the watermark passes their end, plus running per-user totals. State lives in a Cairn keyed backend
 * configured by a {@link StateEnvironment}; checkpoints go to a local directory; a restart resumes from the
 * latest checkpoint, and the source continues at the position that checkpoint recorded.
 *
 * <p>The source position is kept as keyed state under a single key of the operator {@code source} (operator
 * state arrives with the timers/operator-state issue).
 */
@Command(
        name = "cairn-demo",
        mixinStandardHelpOptions = true,
        description = "Click-stream aggregation with checkpoints; rerun to resume after a crash.")
public final class ClickStreamDemo implements Callable<Integer> {

    @Option(names = "--records", description = "Total number of events to process (default: ${DEFAULT-VALUE}).")
    long records = 3_000_000;

    @Option(names = "--users", description = "Number of distinct users (default: ${DEFAULT-VALUE}).")
    int users = 10_000;

    @Option(names = "--window", description = "Tumbling window size in event time (default: ${DEFAULT-VALUE}).")
    Duration window = Duration.ofMinutes(1);

    @Option(names = "--config", description = "YAML configuration file (e.g. examples/conf/cairn.yaml).")
    Path config;

    @Option(
            names = "--checkpoint-dir",
            description = "Checkpoint directory when no --config is given (default: ${DEFAULT-VALUE}).")
    String checkpointDirectory = "cairn-demo/checkpoints";

    @Option(
            names = "--checkpoint-every",
            description = "Checkpoint every N records instead of on the configured interval (deterministic;"
                    + " 0 = use the interval).")
    long checkpointEvery;

    @Option(names = "--crash-after", description = "Kill the process (no cleanup) after this many records in this run.")
    long crashAfter = -1;

    @Option(names = "--output", description = "Write the final per-user results to this file.")
    Path output;

    static final ValueStateDescriptor<Long> POSITION = new ValueStateDescriptor<>("position", Serializers.LONG);
    static final ValueStateDescriptor<Long> TOTAL = new ValueStateDescriptor<>("total-amount", Serializers.LONG);
    static final ValueStateDescriptor<Long> WINDOWS = new ValueStateDescriptor<>("windows-fired", Serializers.LONG);
    static final ValueStateDescriptor<Long> BEST_WINDOW =
            new ValueStateDescriptor<>("best-window-sum", Serializers.LONG);
    static final AggregatingStateDescriptor<Long, long[], long[]> WINDOW =
            new AggregatingStateDescriptor<>("window", new CountAndSum(), Serializers.LONG_ARRAY);

    /** Window accumulator {@code {count, sum}}. */
    static final class CountAndSum implements AggregateFunction<Long, long[], long[]> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Long amount, long[] accumulator) {
            accumulator[0]++;
            accumulator[1] += amount;
            return accumulator;
        }

        @Override
        public long[] getResult(long[] accumulator) {
            return accumulator.clone();
        }
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(new CommandLine(new ClickStreamDemo()).execute(args));
    }

    private StateEnvironment environment() {
        if (config != null) {
            return StateEnvironment.fromConfigFile(config);
        }
        Configuration configuration = new Configuration()
                .setString("execution.checkpointing.dir", checkpointDirectory)
                .setString("execution.checkpointing.interval", "2 s")
                .setString("execution.checkpointing.num-retained", "2")
                .setString("pipeline.name", "click-demo");
        return StateEnvironment.create(configuration);
    }

    @Override
    public Integer call() throws Exception {
        AtomicLong checkpoints = new AtomicLong();
        AtomicLong lastCheckpointBytes = new AtomicLong();
        try (StateEnvironment env = environment()) {
            env.addCheckpointListener(new CheckpointProgressListener() {
                @Override
                public void checkpointCompleted(CheckpointStats stats) {
                    checkpoints.incrementAndGet();
                    lastCheckpointBytes.set(stats.stateSize());
                }
            });
            CheckpointableKeyedStateBackend<String> source = env.keyedBackend("source", Serializers.STRING);
            CheckpointableKeyedStateBackend<Long> clicks = env.keyedBackend("clicks", Serializers.LONG);
            source.setCurrentKey("position");
            ValueState<Long> position = source.getState(POSITION);
            long start = position.value() == null ? 0 : position.value();
            System.out.printf(
                    "cairn-demo: backend %s, storage %s; %s%n",
                    env.getStateBackend().getName(),
                    env.getCheckpointStorage(),
                    env.getRestoredCheckpoint()
                            .map(c -> "resumed from checkpoint " + c.getCheckpointId() + " at record " + start)
                            .orElse("starting from scratch"));

            ClickEvents events = new ClickEvents(users);
            ValueState<Long> total = clicks.getState(TOTAL);
            long windowMillis = window.toMillis();
            // The window of the last processed record: it has not fired yet (it fires on the next window's first
            // event).
            long currentWindow = start == 0 ? 0 : windowStart(events.timestamp(start - 1), windowMillis);
            long reportAt = System.nanoTime() + 1_000_000_000L;
            long reportedRecords = start;
            long processedThisRun = 0;
            for (long i = start; i < records; i++) {
                long timestamp = events.timestamp(i);
                long windowStart = windowStart(timestamp, windowMillis);
                if (windowStart > currentWindow) {
                    fireWindow(clicks, currentWindow); // the watermark passed the window's end
                    currentWindow = windowStart;
                }
                long user = events.user(i);
                long amount = events.amount(i);
                clicks.setCurrentKey(user);
                Long sum = total.value();
                total.update(sum == null ? amount : sum + amount);
                clicks.getPartitionedState(windowStart, Serializers.LONG, WINDOW)
                        .add(amount);

                processedThisRun++;
                if (processedThisRun == crashAfter) {
                    System.out.printf("cairn-demo: crashing after %d records (position %d)%n", crashAfter, i + 1);
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
                if (((i + 1) & 1023) == 0 || (checkpointEvery > 0 && (i + 1) % checkpointEvery == 0)) {
                    position.update(i + 1); // checkpoints only happen at these record boundaries
                    if (checkpointEvery > 0) {
                        if ((i + 1) % checkpointEvery == 0) {
                            env.triggerCheckpoint().get(); // deterministic checkpoints replace the interval
                        }
                    } else {
                        env.checkpointIfDue();
                    }
                }
                if (System.nanoTime() > reportAt) {
                    System.out.printf(
                            "cairn-demo: %,d / %,d records, %,d records/s, %d checkpoints, %,d state"
                                    + " entries, last checkpoint %,d bytes%n",
                            i + 1,
                            records,
                            i + 1 - reportedRecords,
                            checkpoints.get(),
                            clicks.numKeyValueStateEntries(),
                            lastCheckpointBytes.get());
                    reportedRecords = i + 1;
                    reportAt += 1_000_000_000L;
                }
            }
            position.update(records);
            env.triggerCheckpoint().get();
            List<String> results = results(clicks);
            if (output != null) {
                Files.write(output, results);
            }
            System.out.printf(
                    "cairn-demo: done, %,d records, %d users, %d checkpoints in this run%n",
                    records, results.size(), checkpoints.get());
        }
        return 0;
    }

    private static long windowStart(long timestamp, long windowMillis) {
        return timestamp - Math.floorMod(timestamp, windowMillis);
    }

    /** Emits every user's result of a window and folds it into the per-user statistics. */
    private static void fireWindow(CheckpointableKeyedStateBackend<Long> clicks, long windowStart) throws Exception {
        ValueState<Long> fired = clicks.getState(WINDOWS);
        ValueState<Long> best = clicks.getState(BEST_WINDOW);
        clicks.applyToAllKeys(windowStart, Serializers.LONG, WINDOW, (user, window) -> {
            long[] countAndSum = window.get();
            Long firedSoFar = fired.value();
            fired.update(firedSoFar == null ? 1 : firedSoFar + 1);
            Long bestSoFar = best.value();
            best.update(bestSoFar == null ? countAndSum[1] : Math.max(bestSoFar, countAndSum[1]));
            window.clear();
        });
    }

    /** One line per user, sorted: {@code user total windows-fired best-window-sum}. */
    private static List<String> results(CheckpointableKeyedStateBackend<Long> clicks) throws IOException {
        List<Long> users;
        try (var keys = clicks.getKeys(TOTAL.getName(), dev.cairn.state.VoidNamespace.INSTANCE)) {
            users = keys.sorted().toList();
        }
        List<String> lines = new ArrayList<>(users.size());
        for (Long user : users) {
            clicks.setCurrentKey(user);
            lines.add(user + " " + clicks.getState(TOTAL).value() + " "
                    + clicks.getState(WINDOWS).value() + " "
                    + clicks.getState(BEST_WINDOW).value());
        }
        return lines;
    }
}

package dev.cairn.examples;

import dev.cairn.checkpoint.CheckpointProgressListener;
import dev.cairn.checkpoint.CheckpointStats;
import dev.cairn.config.StateEnvironment;
import dev.cairn.state.AggregateFunction;
import dev.cairn.state.AggregatingState;
import dev.cairn.state.AggregatingStateDescriptor;
import dev.cairn.state.CheckpointedFunction;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.KeyedTimerService;
import dev.cairn.state.ListState;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.Timer;
import dev.cairn.state.TimerHandler;
import dev.cairn.state.ValueState;
import dev.cairn.state.ValueStateDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A streaming job on generated click events: per-user tumbling event-time windows (count and sum of amounts),
 * fired by event-time timers when the watermark passes their end, plus running per-user totals. State lives in a Cairn keyed backend
 * configured by a {@link StateEnvironment}; checkpoints go to a local directory; a restart resumes from the
 * latest checkpoint, and the source continues at the position that checkpoint recorded.
 *
 * <p>Windows fire through event-time timers (one per user and window, deduplicated); the source's position is
 * operator state of a {@link CheckpointedFunction}.
 */
@Command(
        name = "cairn-demo",
        mixinStandardHelpOptions = true,
        versionProvider = ClickStreamDemo.Version.class,
        description = {
            "Click-stream aggregation with checkpoints; rerun to resume after a crash.",
            "A run resumes from the latest checkpoint in its checkpoint directory (a finished job resumes at its"
                    + " end and processes nothing more); delete that directory to start over."
        })
public final class ClickStreamDemo implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", description = "Print the full stack trace of an error.")
    boolean verbose;

    @Option(names = "--records", description = "Total number of events to process (default: ${DEFAULT-VALUE}).")
    long records = 3_000_000;

    @Option(names = "--users", description = "Number of distinct users (default: ${DEFAULT-VALUE}).")
    int users = 10_000;

    @Option(names = "--window", description = "Tumbling window size in event time (default: ${DEFAULT-VALUE}).")
    Duration window = Duration.ofMinutes(1);

    @Option(names = "--config", description = "YAML configuration file (e.g. examples/conf/cairn.yaml).")
    Path config;

    @Option(names = "--backend", description = "State backend, overriding the configuration: hashmap or rocksdb.")
    String backend;

    @Option(
            names = "--checkpoint-dir",
            description = "Checkpoint directory unless the --config file sets execution.checkpointing.dir"
                    + " (default: ${DEFAULT-VALUE}).")
    String checkpointDirectory = "cairn-demo/checkpoints";

    @Option(
            names = "--checkpoint-every",
            description = "Checkpoint every N records instead of on the configured interval (deterministic;"
                    + " 0 = use the interval).")
    long checkpointEvery;

    @Option(names = "--crash-after", description = "Kill the process (no cleanup) after this many records in this run.")
    long crashAfter = -1;

    @Option(
            names = "--crash-during-checkpoint",
            description = "Kill the process (no cleanup) while the N-th checkpoint of this run is written: after a"
                    + " every backend's files are uploaded, before the checkpoint's _metadata. What such a crash"
                    + " leaves is what `cairn gc` collects.")
    long crashDuringCheckpoint = -1;

    @Option(names = "--output", description = "Write the final per-user results to this file.")
    Path output;

    @Option(
            names = "--metrics-port",
            description = "Serve /metrics (Prometheus), /health and /checkpoints (JSON) on this port while running;"
                    + " 0 picks a free port (printed at the start).")
    Integer metricsPort;

    @Option(
            names = "--metrics-host",
            description = "The address --metrics-port listens on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every"
                    + " interface).")
    String metricsHost = "127.0.0.1";

    @Option(
            names = "--rate",
            description = "Process at most this many records per second (default: as fast as possible), so that a"
                    + " run lasts long enough to watch its metrics.")
    long rate;

    static final ListStateDescriptor<Long> POSITION = new ListStateDescriptor<>("position", Serializers.LONG);
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
        System.exit(commandLine().execute(args));
    }

    /** The command line with one-line errors: usage mistakes exit with 2, failures with 1. */
    static CommandLine commandLine() {
        ClickStreamDemo demo = new ClickStreamDemo();
        CommandLine commandLine = new CommandLine(demo);
        commandLine.setParameterExceptionHandler((error, args) -> {
            PrintWriter err = error.getCommandLine().getErr();
            err.println("cairn-demo: " + error.getMessage());
            err.println("Try 'cairn-demo --help' for the options.");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((error, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println("cairn-demo: error: " + describe(error));
            if (demo.verbose) {
                error.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the full stack trace)");
            }
            return 1;
        });
        return commandLine;
    }

    /** The message of {@code error}, and of its causes where they add something. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message =
                    t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString().replace('\n', ' ');
    }

    /** The options must describe a job that can run. */
    private void validate() {
        if (users < 1) {
            throw new ParameterException(spec.commandLine(), "--users must be at least 1, not " + users);
        }
        if (window.isZero() || window.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--window must be a positive duration, not " + window);
        }
        if (records < 0) {
            throw new ParameterException(spec.commandLine(), "--records must be 0 or more, not " + records);
        }
        if (rate < 0) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 (unlimited) or more, not " + rate);
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new ParameterException(
                    spec.commandLine(), "--metrics-port must be between 0 and 65535, not " + metricsPort);
        }
        if (checkpointEvery < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--checkpoint-every must be 0 (use the configured interval) or more, not " + checkpointEvery);
        }
        if (crashAfter == 0 || crashAfter < -1) {
            throw new ParameterException(spec.commandLine(), "--crash-after must be at least 1, not " + crashAfter);
        }
        if (crashDuringCheckpoint == 0 || crashDuringCheckpoint < -1) {
            throw new ParameterException(
                    spec.commandLine(), "--crash-during-checkpoint must be at least 1, not " + crashDuringCheckpoint);
        }
    }

    /** The version of the demo (Cairn's) and of the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            java.util.Properties properties = new java.util.Properties();
            try (var in = ClickStreamDemo.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {
                "cairn-demo " + properties.getProperty("version", "(unknown version)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }

    private StateEnvironment environment() {
        StateEnvironment env = configuredEnvironment();
        if (backend != null) {
            env.configure(new Configuration().setString("state.backend.type", backend));
        }
        return env;
    }

    private StateEnvironment configuredEnvironment() {
        if (config != null) {
            StateEnvironment env = StateEnvironment.fromConfigFile(config);
            if (spec.commandLine().getParseResult().hasMatchedOption("--checkpoint-dir")) {
                var fromFile = env.getConfiguration()
                        .getOptional(dev.cairn.checkpoint.CheckpointingOptions.CHECKPOINTS_DIRECTORY);
                if (fromFile.isPresent()) {
                    spec.commandLine()
                            .getErr()
                            .printf(
                                    "cairn-demo: warning: --checkpoint-dir %s is ignored: %s sets"
                                            + " execution.checkpointing.dir (%s)%n",
                                    checkpointDirectory, config, fromFile.get());
                } else {
                    env.configure(new Configuration().setString("execution.checkpointing.dir", checkpointDirectory));
                }
            }
            return env;
        }
        Configuration configuration = new Configuration()
                .setString("execution.checkpointing.dir", checkpointDirectory)
                .setString("execution.checkpointing.interval", "2 s")
                .setString("execution.checkpointing.num-retained", "2")
                .setString("pipeline.name", "click-demo");
        return StateEnvironment.create(configuration);
    }

    /** Checkpoints started in this run, and the one to crash in (the listener's state: one trigger at a time). */
    private long checkpointsStarted;

    private volatile long crashingCheckpoint = -1;

    @Override
    public Integer call() throws Exception {
        validate();
        AtomicLong checkpoints = new AtomicLong();
        AtomicLong lastCheckpointBytes = new AtomicLong();
        try (StateEnvironment env = environment();
                MetricsEndpoint endpoint =
                        metricsPort == null ? null : MetricsEndpoint.start(env, metricsHost, metricsPort)) {
            if (endpoint != null) {
                System.out.printf(
                        "cairn-demo: metrics on http://%s:%d/metrics, health on /health%n",
                        metricsHost, endpoint.port());
            }
            env.addCheckpointListener(new CheckpointProgressListener() {
                @Override
                public void checkpointCompleted(CheckpointStats stats) {
                    checkpoints.incrementAndGet();
                    lastCheckpointBytes.set(stats.stateSize());
                }

                @Override
                public void checkpointStarted(long checkpointId, boolean savepoint, int totalTasks) {
                    if (++checkpointsStarted == crashDuringCheckpoint) {
                        crashingCheckpoint = checkpointId;
                    }
                }

                @Override
                public void checkpointProgress(
                        long checkpointId, int tasksCompleted, int totalTasks, long bytesWritten, int filesWritten) {
                    if (checkpointId == crashingCheckpoint && tasksCompleted == totalTasks) {
                        System.out.printf(
                                "cairn-demo: crashing during checkpoint %d (%d of %d backends written)%n",
                                checkpointId, tasksCompleted, totalTasks);
                        System.out.flush();
                        Runtime.getRuntime().halt(137);
                    }
                }
            });
            GeneratorPosition source = new GeneratorPosition();
            env.registerCheckpointedFunction("source", source);
            KeyedStateStore<Long> clicks = env.keyedBackend("clicks", Serializers.LONG);
            long start = source.position;
            System.out.printf(
                    "cairn-demo: backend %s, storage %s; %s%n",
                    env.getStateBackend().getName(),
                    env.getCheckpointStorage(),
                    env.getRestoredCheckpoint()
                            .map(c -> "resumed from checkpoint " + c.getCheckpointId() + " at record " + start)
                            .orElse("starting from scratch"));

            ClickEvents events = new ClickEvents(users);
            ValueState<Long> total = clicks.getState(TOTAL);
            KeyedTimerService<Long, Long> windows =
                    clicks.timerService("window-end", Serializers.LONG, new WindowFiring(clicks));
            long windowMillis = window.toMillis();
            long reportAt = System.nanoTime() + 1_000_000_000L;
            long reportedRecords = start;
            long processedThisRun = 0;
            long startNanos = System.nanoTime();
            for (long i = start; i < records; i++) {
                if (rate > 0 && (processedThisRun & 63) == 0) {
                    pace(startNanos, processedThisRun);
                }
                long timestamp = events.timestamp(i);
                // Events arrive in timestamp order: the watermark trails the newest event by 1 ms, so a window's
                // timer (at its last millisecond) fires as soon as the first event of a later window arrives.
                windows.advanceWatermark(timestamp - 1);
                long windowStart = timestamp - Math.floorMod(timestamp, windowMillis);
                long user = events.user(i);
                long amount = events.amount(i);
                clicks.setCurrentKey(user);
                Long sum = total.value();
                total.update(sum == null ? amount : sum + amount);
                clicks.getPartitionedState(windowStart, Serializers.LONG, WINDOW)
                        .add(amount);
                windows.registerEventTimeTimer(windowStart, windowStart + windowMillis - 1);
                source.position = i + 1;

                processedThisRun++;
                if (processedThisRun == crashAfter) {
                    System.out.printf("cairn-demo: crashing after %d records (position %d)%n", crashAfter, i + 1);
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
                if (checkpointEvery > 0) {
                    if ((i + 1) % checkpointEvery == 0) {
                        env.triggerCheckpoint().get(); // deterministic checkpoints replace the interval
                    }
                } else if (((i + 1) & 1023) == 0) {
                    env.checkpointIfDue();
                }
                if (System.nanoTime() > reportAt) {
                    System.out.printf(
                            "cairn-demo: %,d / %,d records, %,d records/s, %d checkpoints, %,d window timers,"
                                    + " last checkpoint %,d bytes of state%n",
                            i + 1,
                            records,
                            i + 1 - reportedRecords,
                            checkpoints.get(),
                            windows.numEventTimeTimers(),
                            lastCheckpointBytes.get());
                    reportedRecords = i + 1;
                    reportAt += 1_000_000_000L;
                }
            }
            while (!env.getCheckpointCoordinator().canTrigger()) {
                Thread.sleep(10); // a periodic checkpoint is still running: the final one waits for it
            }
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

    /** Holds the loop back until {@code processed} records are due at {@code --rate} records per second. */
    private void pace(long startNanos, long processed) {
        long dueNanos = startNanos + processed * 1_000_000_000L / rate;
        for (long wait = dueNanos - System.nanoTime(); wait > 0; wait = dueNanos - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
    }

    /** The source's position, kept in operator state so that a restore continues where the checkpoint was. */
    static final class GeneratorPosition implements CheckpointedFunction {
        long position;
        private ListState<Long> state;

        @Override
        public void initializeState(FunctionInitializationContext context) {
            state = context.getOperatorStateStore().getListState(POSITION);
            for (Long restored : state.get()) {
                position = restored;
            }
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            state.update(List.of(position));
        }
    }

    /** A window's timer fired: fold the user's window result into their statistics and drop the window. */
    static final class WindowFiring implements TimerHandler<Long, Long> {
        private final KeyedStateStore<Long> clicks;

        WindowFiring(KeyedStateStore<Long> clicks) {
            this.clicks = clicks;
        }

        @Override
        public void onEventTime(Timer<Long, Long> timer) {
            AggregatingState<Long, long[]> window =
                    clicks.getPartitionedState(timer.namespace(), Serializers.LONG, WINDOW);
            long[] countAndSum = window.get();
            ValueState<Long> fired = clicks.getState(WINDOWS);
            ValueState<Long> best = clicks.getState(BEST_WINDOW);
            Long firedSoFar = fired.value();
            fired.update(firedSoFar == null ? 1 : firedSoFar + 1);
            Long bestSoFar = best.value();
            best.update(bestSoFar == null ? countAndSum[1] : Math.max(bestSoFar, countAndSum[1]));
            window.clear();
        }
    }

    /** One line per user, sorted: {@code user total windows-fired best-window-sum}. */
    private static List<String> results(KeyedStateStore<Long> clicks) throws IOException {
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

package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.config.StateEnvironment;
import dev.cairn.s3.S3TestServer;
import dev.cairn.state.Configuration;
import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.KeyedStateStore;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cairn} command as users run it: the shaded {@code cli/target/cairn.jar} in its own process, on
 * checkpoints a job wrote with each backend. What {@code inspect} and {@code dump} report is what the job wrote; a
 * flipped byte makes {@code verify} fail naming the file; {@code convert} and {@code rescale} write savepoints the
 * tool reads back with every key; bad input is a one-line error and a non-zero exit, without a stack trace.
 */
class CairnCliProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 200;
    private static final Path JAR =
            Path.of("..", "cli", "target", "cairn.jar").toAbsolutePath().normalize();

    @TempDir
    Path directory;

    private record Result(int exitCode, String out, String err) {}

    private Result cairn(String... args) throws IOException, InterruptedException {
        assertThat(JAR)
                .as("the CLI jar, built by the cli module's package phase")
                .exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = directory.resolve("stdout.txt");
        Path err = directory.resolve("stderr.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private String writeCheckpoint(String backend) throws Exception {
        return writeCheckpoint(backend, directory.resolve("checkpoints").toUri().toString(), new Configuration());
    }

    private String writeCheckpoint(String backend, String checkpointDirectory, Configuration config) throws Exception {
        config.setString("execution.checkpointing.dir", checkpointDirectory);
        switch (backend) {
            case "hashmap" -> config.setString("state.backend.type", "hashmap");
            case "rocksdb-incremental" -> {
                config.setString("state.backend.type", "rocksdb");
                config.setString("execution.checkpointing.incremental", "true");
            }
            case "changelog" -> {
                config.setString("state.backend.type", "hashmap");
                config.setString("state.changelog.enabled", "true");
                config.setString("state.changelog.storage", "filesystem");
                config.setString("state.changelog.periodic-materialize.enabled", "false");
                config.setString("state.changelog.dstl.dfs.base-path", changelogDirectory());
            }
            default -> throw new IllegalArgumentException(backend);
        }
        try (StateEnvironment environment = StateEnvironment.create(config)) {
            for (int instance = 0; instance < 2; instance++) {
                KeyedStateStore<String> store = environment.keyedBackend("counter", Serializers.STRING, instance, 2);
                for (int i = 0; i < KEYS; i++) {
                    String key = "user-" + i;
                    if (store.getKeyGroupRange().contains(KeyGroupRangeAssignment.assignToKeyGroup(key, 128))) {
                        store.setCurrentKey(key);
                        store.getState(new ValueStateDescriptor<>("clicks", Serializers.LONG))
                                .update((long) i);
                        store.getState(new ListStateDescriptor<>("pages", Serializers.STRING))
                                .add("/p" + i);
                        store.getState(new MapStateDescriptor<>("tags", Serializers.STRING, Serializers.INT))
                                .put("t", i);
                    }
                }
            }
            return environment.triggerCheckpoint().get().getPointer();
        }
    }

    private String changelogDirectory() {
        return directory.resolve("changelog").toUri().toString();
    }

    /** A configuration file telling the CLI where changelog files may be. */
    private Path cliConfig() throws IOException {
        Path file = directory.resolve("cairn.yaml");
        Files.writeString(file, "state.changelog.dstl.dfs.base-path: " + changelogDirectory() + "\n");
        return file;
    }

    private Map<String, Long> dumpClicks(String pointer) throws Exception {
        Result dump = cairn(
                "dump",
                pointer,
                "--operator",
                "counter",
                "--state",
                "clicks",
                "-c",
                cliConfig().toString());
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        Map<String, Long> clicks = new HashMap<>();
        for (String line : dump.out().lines().toList()) {
            JsonNode entry = JSON.readTree(line);
            clicks.put(entry.get("key").asText(), entry.get("value").asLong());
        }
        return clicks;
    }

    private static void assertAllKeys(Map<String, Long> clicks) {
        assertThat(clicks).hasSize(KEYS);
        for (int i = 0; i < KEYS; i++) {
            assertThat(clicks).containsEntry("user-" + i, (long) i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb-incremental", "changelog"})
    void inspectDumpConvertAndRescaleAgreeWithWhatTheJobWrote(String backend) throws Exception {
        String pointer = writeCheckpoint(backend);
        String config = cliConfig().toString();

        Result inspect = cairn("inspect", "--json", pointer, "-c", config);
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        JsonNode operator = JSON.readTree(inspect.out()).get("operators").get(0);
        assertThat(operator.get("id").asText()).isEqualTo("counter");
        assertThat(operator.get("keyedInstances").asInt()).isEqualTo(2);
        assertThat(operator.get("maxParallelism").asInt()).isEqualTo(128);
        List<String> states = new ArrayList<>();
        operator.get("keyedStates")
                .forEach(state -> states.add(state.get("name").asText()));
        assertThat(states).contains("clicks", "pages", "tags");

        Result table = cairn("inspect", pointer, "-c", config);
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("Operator counter").contains("clicks").contains("VALUE");

        assertAllKeys(dumpClicks(pointer));

        Result csv = cairn(
                "dump",
                pointer,
                "--operator",
                "counter",
                "--state",
                "pages",
                "--format",
                "csv",
                "--limit",
                "5",
                "-c",
                config);
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out().lines().toList())
                .hasSize(6)
                .first()
                .asString()
                .contains("key")
                .contains("value");

        Result converted = cairn(
                "convert",
                pointer,
                "--to-savepoint",
                directory.resolve("savepoints").toString(),
                "-c",
                config);
        assertThat(converted.exitCode()).as(converted.err()).isZero();
        String savepoint = converted.out().strip();
        assertAllKeys(dumpClicks(savepoint));
        Result diff = cairn("diff", "--json", pointer, savepoint, "-c", config);
        assertThat(diff.exitCode()).as(diff.err()).isZero();
        JsonNode diffs = JSON.readTree(diff.out());
        assertThat(diffs).hasSizeGreaterThanOrEqualTo(3);
        diffs.forEach(state -> {
            assertThat(state.get("added").asLong()
                            + state.get("removed").asLong()
                            + state.get("changed").asLong())
                    .as("%s after conversion", state)
                    .isZero();
            assertThat(state.get("unchanged").asLong()).isPositive();
        });

        Result rescaled = cairn(
                "rescale",
                pointer,
                "--parallelism",
                "3",
                "--max-parallelism",
                "256",
                "--out",
                directory.resolve("rescaled").toString(),
                "-c",
                config);
        assertThat(rescaled.exitCode()).as(rescaled.err()).isZero();
        String rescaledPointer = rescaled.out().strip();
        JsonNode rescaledOperator = JSON.readTree(
                        cairn("inspect", "--json", rescaledPointer).out())
                .get("operators")
                .get(0);
        assertThat(rescaledOperator.get("keyedInstances").asInt()).isEqualTo(3);
        assertThat(rescaledOperator.get("maxParallelism").asInt()).isEqualTo(256);
        assertAllKeys(dumpClicks(rescaledPointer));

        Result verify = cairn("verify", "--deep", rescaledPointer);
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("intact");
    }

    @Test
    void aFlippedByteMakesVerifyFailNamingTheFile() throws Exception {
        String pointer = writeCheckpoint("rocksdb-incremental");
        Result intact = cairn("verify", pointer);
        assertThat(intact.exitCode()).as(intact.out() + intact.err()).isZero();
        assertThat(intact.err()).contains("verified"); // plain progress lines when not on a terminal

        List<Path> stateFiles;
        try (Stream<Path> files = Files.walk(directory.resolve("checkpoints"))) {
            stateFiles = files.filter(Files::isRegularFile).toList();
        }
        Path victim = stateFiles.stream()
                .filter(file -> file.getParent().getFileName().toString().startsWith("chk-")
                        || file.getParent().getFileName().toString().equals("shared"))
                .filter(file -> !file.getFileName().toString().equals("_metadata"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no state file among " + stateFiles));
        try (RandomAccessFile file = new RandomAccessFile(victim.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int original = file.read();
            file.seek(file.length() / 2);
            file.write(original ^ 0xFF);
        }
        Result damaged = cairn("verify", pointer);
        assertThat(damaged.exitCode()).isEqualTo(CairnCli.PROBLEMS);
        assertThat(damaged.out()).contains("BAD").contains(victim.getFileName().toString());

        Result json = cairn("verify", "--json", pointer);
        assertThat(json.exitCode()).isEqualTo(CairnCli.PROBLEMS);
        assertThat(JSON.readTree(json.out()).get("intact").asBoolean()).isFalse();
    }

    @Test
    void badInputIsAOneLineErrorWithoutAStackTrace() throws Exception {
        Result notACheckpoint = cairn("inspect", directory.toString());
        assertThat(notACheckpoint.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(notACheckpoint.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("cairn: ")
                .contains(directory.getFileName().toString());

        String pointer = writeCheckpoint("hashmap");
        Result unknownState = cairn("dump", pointer, "--operator", "counter", "--state", "nope");
        assertThat(unknownState.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(unknownState.err().lines().toList())
                .singleElement()
                .asString()
                .contains("'nope'")
                .contains("clicks");

        Path metadata = Path.of(java.net.URI.create(pointer)).resolve("_metadata");
        byte[] bytes = Files.readAllBytes(metadata);
        Files.write(metadata, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Result truncated = cairn("inspect", pointer);
        assertThat(truncated.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(truncated.err().lines().toList()).singleElement().asString().startsWith("cairn: ");
        assertThat(truncated.err()).doesNotContain("\tat ");

        Result verbose = cairn("inspect", "--verbose", pointer);
        assertThat(verbose.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(verbose.err()).contains("\tat ");

        Result usage = cairn("rescale", pointer);
        assertThat(usage.exitCode()).isEqualTo(CairnCli.USAGE);
        assertThat(usage.err()).contains("--parallelism");
    }

    @Test
    void gcListsExactlyWhatCrashesLeftAndDeletesOnlyThat() throws Exception {
        String pointer = writeCheckpoint("rocksdb-incremental");
        Map<String, Long> before = dumpClicks(pointer);
        Path job = directory.resolve("checkpoints").resolve("cairn-job");
        // What a crash during checkpoint 7 leaves: an upload in shared/, a task-owned file, a chk without _metadata.
        Path orphanShared = Files.write(job.resolve("shared").resolve("0f0e0d0c-orphan"), new byte[1234]);
        Path orphanTaskOwned = Files.write(job.resolve("taskowned").resolve("orphan-task"), new byte[10]);
        Path failed = Files.createDirectories(job.resolve("chk-7"));
        Path orphanInFailed = Files.write(failed.resolve("1a2b3c-partial"), new byte[99]);

        Result dryRun = cairn("gc", "--dry-run", "--json", job.toString());
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        List<String> listed = new ArrayList<>();
        JSON.readTree(dryRun.out())
                .get("files")
                .forEach(file -> listed.add(file.get("path").asText()));
        assertThat(listed)
                .containsExactlyInAnyOrder(
                        StoragePath.fromLocal(orphanShared).toString(),
                        StoragePath.fromLocal(orphanTaskOwned).toString(),
                        StoragePath.fromLocal(orphanInFailed).toString());
        assertThat(orphanShared).exists();

        Result unconfirmed = cairn("gc", job.toString());
        assertThat(unconfirmed.exitCode()).isEqualTo(CairnCli.PROBLEMS);
        assertThat(unconfirmed.err()).contains("--yes");
        assertThat(orphanShared).exists();

        Result deleted = cairn("gc", "--yes", job.toString());
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("deleted 3 file(s)");
        assertThat(orphanShared).doesNotExist();
        assertThat(orphanTaskOwned).doesNotExist();
        assertThat(failed).doesNotExist();

        Result verify = cairn("verify", pointer);
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(dumpClicks(pointer)).isEqualTo(before);
        assertThat(cairn("gc", "--dry-run", job.toString()).out()).contains("no garbage");
    }

    @Test
    void gcRefusesADirectoryARunningJobOwns() throws Exception {
        writeCheckpoint("hashmap");
        Configuration config = new Configuration();
        config.setString(
                "execution.checkpointing.dir",
                directory.resolve("checkpoints").toUri().toString());
        try (StateEnvironment running = StateEnvironment.create(config)) {
            running.keyedBackend("counter", Serializers.STRING);
            Result refused = cairn(
                    "gc",
                    "--dry-run",
                    directory.resolve("checkpoints").resolve("cairn-job").toString());
            assertThat(refused.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
            assertThat(refused.err().lines().toList())
                    .singleElement()
                    .asString()
                    .startsWith("cairn: ");
        }
        Result notAJobDirectory = cairn("gc", "--dry-run", directory.toString());
        assertThat(notAJobDirectory.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(notAJobDirectory.err()).contains("not a job's checkpoint directory");
    }

    @Test
    void worksOnCheckpointsInS3() throws Exception {
        S3TestServer.assumeAvailable();
        String bucket = S3TestServer.createBucket();
        String pointer =
                writeCheckpoint("rocksdb-incremental", "s3://" + bucket + "/jobs", S3TestServer.configuration());
        assertThat(pointer).startsWith("s3://" + bucket + "/");
        Path config = directory.resolve("s3.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        S3Options.ENDPOINT.key() + ": " + S3TestServer.endpoint(),
                        S3Options.PATH_STYLE_ACCESS.key() + ": true",
                        S3Options.ACCESS_KEY.key() + ": " + S3TestServer.accessKey(),
                        S3Options.SECRET_KEY.key() + ": " + S3TestServer.secretKey(),
                        ""));

        Result verify = cairn("verify", "--deep", pointer, "-c", config.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        Result dump = cairn("dump", pointer, "--operator", "counter", "--state", "clicks", "-c", config.toString());
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out().lines()).hasSize(KEYS);

        Result rescaled = cairn(
                "rescale",
                pointer,
                "--parallelism",
                "3",
                "--max-parallelism",
                "256",
                "--out",
                "s3://" + bucket + "/rescaled",
                "-c",
                config.toString());
        assertThat(rescaled.exitCode()).as(rescaled.err()).isZero();
        String savepoint = rescaled.out().strip();
        assertThat(savepoint).startsWith("s3://" + bucket + "/rescaled/");
        Result rescaledDump =
                cairn("dump", savepoint, "--operator", "counter", "--state", "clicks", "-c", config.toString());
        assertThat(rescaledDump.exitCode()).as(rescaledDump.err()).isZero();
        assertThat(rescaledDump.out().lines()).hasSize(KEYS);

        Result withoutSettings = cairn("inspect", pointer);
        assertThat(withoutSettings.exitCode()).isNotZero();
        assertThat(withoutSettings.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("cairn: ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb", "rocksdb-incremental", "changelog"})
    void agreesWithWhatTheDemoJobComputed(String backend) throws Exception {
        Path work = Files.createDirectories(directory.resolve("demo-" + backend));
        List<String> args =
                new ArrayList<>(List.of("--records", "200000", "--users", "300", "--output", "results.txt"));
        Path checkpointRoot;
        List<String> cliConfig = new ArrayList<>();
        if (backend.equals("hashmap") || backend.equals("rocksdb")) {
            args.addAll(List.of("--backend", backend));
            checkpointRoot = work.resolve("cairn-demo").resolve("checkpoints");
        } else {
            Path config = demoConfig(work, backend);
            args.addAll(List.of("--config", config.toString(), "--checkpoint-every", "50000"));
            checkpointRoot = work.resolve("checkpoints");
            cliConfig.addAll(List.of("-c", config.toString()));
        }
        assertThat(runDemo(work, args.toArray(String[]::new)))
                .as(Files.readString(work.resolve("demo.log")))
                .isZero();
        // The demo's last checkpoint is taken right before it writes its results from the same state.
        Path latest;
        try (Stream<Path> checkpoints = Files.find(
                checkpointRoot,
                3,
                (path, attributes) -> path.getFileName().toString().equals("_metadata"))) {
            latest = checkpoints
                    .map(Path::getParent)
                    .max(java.util.Comparator.comparingLong(
                            path -> Long.parseLong(path.getFileName().toString().substring("chk-".length()))))
                    .orElseThrow();
        }
        Map<String, Long> totals = new HashMap<>();
        for (String line : Files.readAllLines(work.resolve("results.txt"))) {
            String[] fields = line.split(" ");
            totals.put(fields[0], Long.parseLong(fields[1]));
        }
        assertThat(totals).isNotEmpty();

        List<String> dumpArgs =
                new ArrayList<>(List.of("dump", latest.toString(), "--operator", "clicks", "--state", "total-amount"));
        dumpArgs.addAll(cliConfig);
        Result dump = cairn(dumpArgs.toArray(String[]::new));
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        Map<String, Long> dumped = new HashMap<>();
        for (String line : dump.out().lines().toList()) {
            JsonNode entry = JSON.readTree(line);
            dumped.put(entry.get("key").asText(), entry.get("value").asLong());
        }
        assertThat(dumped).isEqualTo(totals);

        List<String> inspectArgs = new ArrayList<>(List.of("inspect", "--json", latest.toString()));
        inspectArgs.addAll(cliConfig);
        JsonNode inspect =
                JSON.readTree(cairn(inspectArgs.toArray(String[]::new)).out());
        List<String> operators = new ArrayList<>();
        inspect.get("operators")
                .forEach(operator -> operators.add(operator.get("id").asText()));
        assertThat(operators).contains("clicks", "source");
        long[] totalAmountEntries = {-1};
        inspect.get("operators")
                .forEach(operator -> operator.get("keyedStates").forEach(state -> {
                    if (operator.get("id").asText().equals("clicks")
                            && state.get("name").asText().equals("total-amount")) {
                        totalAmountEntries[0] = state.get("entries").asLong();
                    }
                }));
        assertThat(totalAmountEntries[0]).as("entries of total-amount").isEqualTo(totals.size());
        List<String> verifyArgs = new ArrayList<>(List.of("verify", "--deep", latest.toString()));
        verifyArgs.addAll(cliConfig);
        Result verify = cairn(verifyArgs.toArray(String[]::new));
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    /** Runs the demo job in {@code work} with {@code args}; returns its exit code (its output is in demo.log). */
    private static int runDemo(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                dev.cairn.examples.ClickStreamDemo.class.getName()));
        command.addAll(List.of(args));
        Process demo = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        work.resolve("demo.log").toFile()))
                .start();
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return demo.exitValue();
    }

    /** The demo's configuration for {@code backend}: every state stream in a file, checkpoints only when told. */
    private static Path demoConfig(Path work, String backend) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "execution.checkpointing.dir: " + work.resolve("checkpoints").toUri(),
                "execution.checkpointing.interval: 1 h",
                "execution.checkpointing.num-retained: 2",
                "execution.checkpointing.data-inline-threshold: 0 b",
                "pipeline.name: click-demo"));
        if (backend.equals("rocksdb-incremental")) {
            lines.add("state.backend.type: rocksdb");
            lines.add("execution.checkpointing.incremental: true");
        } else {
            lines.add("state.backend.type: hashmap");
            lines.add("state.changelog.enabled: true");
            lines.add("state.changelog.storage: filesystem");
            lines.add("state.changelog.periodic-materialize.interval: 1 h");
            lines.add("state.changelog.dstl.dfs.base-path: "
                    + work.resolve("changelog").toUri());
        }
        Path file = work.resolve("cairn.yaml");
        Files.write(file, lines);
        return file;
    }

    /** Every file under {@code root} but {@code _metadata} files and the ownership lease, as storage paths. */
    private static List<String> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().equals("_metadata"))
                    .filter(path -> !root.relativize(path).toString().startsWith("_lease"))
                    .map(path -> StoragePath.fromLocal(path).toString())
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb-incremental", "changelog"})
    void gcAfterACrashMidCheckpointListsExactlyItsLeftoversAndTheJobResumesExactly(String backend) throws Exception {
        String[] workload = {"--records", "40000", "--users", "2000", "--checkpoint-every", "10000"};
        Path reference = Files.createDirectories(directory.resolve("reference"));
        List<String> referenceRun = new ArrayList<>(List.of(workload));
        referenceRun.addAll(List.of("--config", demoConfig(reference, backend).toString(), "--output", "results.txt"));
        assertThat(runDemo(reference, referenceRun.toArray(String[]::new)))
                .as(Files.readString(reference.resolve("demo.log")))
                .isZero();

        Path work = Files.createDirectories(directory.resolve("crashed"));
        Path config = demoConfig(work, backend);
        List<String> crashing = new ArrayList<>(List.of(workload));
        crashing.addAll(List.of("--config", config.toString(), "--crash-during-checkpoint", "3"));
        assertThat(runDemo(work, crashing.toArray(String[]::new)))
                .as(Files.readString(work.resolve("demo.log")))
                .isEqualTo(137);
        Path job = work.resolve("checkpoints").resolve("click-demo");
        assertThat(job.resolve("chk-3")).isDirectory();
        assertThat(job.resolve("chk-3").resolve("_metadata")).doesNotExist();

        // What the retained checkpoints reference, as `cairn inspect` reports it; everything else is a leftover.
        java.util.Set<String> referenced = new java.util.HashSet<>();
        for (String retained : List.of("chk-1", "chk-2")) {
            Result inspect = cairn(
                    "inspect",
                    "--json",
                    "--no-state-sizes",
                    "-c",
                    config.toString(),
                    job.resolve(retained).toString());
            assertThat(inspect.exitCode()).as(inspect.err()).isZero();
            JSON.readTree(inspect.out())
                    .get("files")
                    .forEach(file -> referenced.add(file.get("path").asText()));
        }
        List<String> leftovers = new ArrayList<>(filesUnder(job));
        leftovers.addAll(filesUnder(work.resolve("changelog").resolve("click-demo")));
        leftovers.removeAll(referenced);
        assertThat(leftovers)
                .as("what the crash left")
                .anyMatch(path -> path.contains("/chk-3/") || path.contains("/shared/"));
        if (backend.equals("changelog")) {
            assertThat(leftovers).anyMatch(path -> path.contains("/changelog/click-demo/"));
        }

        Result dryRun = cairn("gc", "--dry-run", "--json", "-c", config.toString(), job.toString());
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        List<String> listed = new ArrayList<>();
        JSON.readTree(dryRun.out())
                .get("files")
                .forEach(file -> listed.add(file.get("path").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(leftovers);

        Result deleted = cairn("gc", "--yes", "-c", config.toString(), job.toString());
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        List<String> remaining = new ArrayList<>(filesUnder(job));
        remaining.addAll(filesUnder(work.resolve("changelog").resolve("click-demo")));
        assertThat(remaining).containsExactlyInAnyOrderElementsOf(referenced);
        assertThat(job.resolve("chk-3")).doesNotExist();

        // The latest checkpoint still restores exactly: the resumed job ends with the uninterrupted job's results.
        List<String> resumed = new ArrayList<>(List.of(workload));
        resumed.addAll(List.of("--config", config.toString(), "--output", "results.txt"));
        assertThat(runDemo(work, resumed.toArray(String[]::new)))
                .as(Files.readString(work.resolve("demo.log")))
                .isZero();
        assertThat(Files.readString(work.resolve("demo.log"))).contains("resumed from checkpoint 2");
        assertThat(Files.readAllLines(work.resolve("results.txt")))
                .isNotEmpty()
                .isEqualTo(Files.readAllLines(reference.resolve("results.txt")));
    }

    @Test
    void aMissingApplicationClassIsAOneLineErrorWhereItIsNeededAndRawBytesWhereItIsNot() throws Exception {
        Configuration config = new Configuration();
        config.setString(
                "execution.checkpointing.dir",
                directory.resolve("devices").toUri().toString());
        String pointer;
        try (StateEnvironment environment = StateEnvironment.create(config)) {
            KeyedStateStore<DeviceId> store = environment.keyedBackend("devices", new DeviceId.Serializer());
            store.setCurrentKey(new DeviceId(258));
            store.getState(new ValueStateDescriptor<>("readings", Serializers.LONG))
                    .update(99L);
            pointer = environment.triggerCheckpoint().get().getPointer();
        }

        // Reading needs no key class: the key is shown as its bytes (base64 in JSON).
        Result dump = cairn("dump", pointer, "--operator", "devices", "--state", "readings");
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        JsonNode entry = JSON.readTree(dump.out().lines().findFirst().orElseThrow());
        assertThat(entry.get("key").binaryValue()).containsExactly(0, 0, 0, 0, 0, 0, 1, 2);
        assertThat(entry.get("value").asLong()).isEqualTo(99L);

        // Re-hashing keys into new key groups needs their class (its hashCode): a one-line error naming it.
        List<String> rescale = List.of(
                "rescale",
                pointer,
                "--parallelism",
                "2",
                "--max-parallelism",
                "256",
                "--out",
                directory.resolve("rescaled").toString());
        Result refused = cairn(rescale.toArray(String[]::new));
        assertThat(refused.exitCode()).isEqualTo(CairnCli.BAD_INPUT);
        assertThat(refused.err().lines().toList())
                .singleElement()
                .asString()
                .startsWith("cairn: ")
                .contains(DeviceId.Snapshot.class.getName())
                .contains("--classpath");

        String classes = Path.of(DeviceId.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        List<String> withClasses = new ArrayList<>(rescale);
        withClasses.addAll(List.of("--classpath", classes));
        Result rescaled = cairn(withClasses.toArray(String[]::new));
        assertThat(rescaled.exitCode()).as(rescaled.err()).isZero();
        Result decoded = cairn(
                "dump", rescaled.out().strip(), "--operator", "devices", "--state", "readings", "--classpath", classes);
        assertThat(decoded.exitCode()).as(decoded.err()).isZero();
        JsonNode rescaledEntry = JSON.readTree(decoded.out().lines().findFirst().orElseThrow());
        assertThat(rescaledEntry.get("key").get("id").asLong()).isEqualTo(258L);
        assertThat(rescaledEntry.get("keyGroup").asInt())
                .isEqualTo(KeyGroupRangeAssignment.assignToKeyGroup(new DeviceId(258), 256));
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : List.of("inspect", "verify", "dump", "convert", "rescale", "gc", "diff")) {
            Result help = cairn(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: cairn " + command);
        }
        assertThat(new String(cairn("--help").out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .contains("Exit codes");
    }
}

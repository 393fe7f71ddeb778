package dev.cairn.benchmarks;

import dev.cairn.checkpoint.CheckpointCoordinator;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.state.Configuration;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job's restart as a whole: a new coordinator finds the latest checkpoint of {@code keys} {@code ValueState<Long>}
 * entries in a {@code filesystem} storage and a keyed backend restores from it — on the local disk or on S3
 * ({@code store=s3}: the S3Proxy that {@code .ci/s3proxy.sh start} runs, found through the file the environment
 * variable {@code S3PROXY_TEST_CONFIG} names). One operation is one restore; closing the backend is not measured.
 *
 * <p>{@code verifyFirst=true} reads and checks every file before the restore, as the coordinator did until issue
 * 22 (item 6): the restore then reads every byte twice. Without it the coordinator checks that the files are there
 * with their lengths and the backend checks the bytes as it reads them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 8)
public class CheckpointRestoreBenchmark {
    private static final String JOB = "bench";

    @Param({"500000"})
    public int keys;

    @Param({"hashmap", "rocksdb"})
    public String backend;

    @Param({"local", "s3"})
    public String store;

    @Param({"false", "true"})
    public boolean verifyFirst;

    private final ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("value", Serializers.LONG);
    private Path directory;
    private FileSystemCheckpointStorage storage;
    private CheckpointableKeyedStateBackend<Long> restored;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("cairn-restore-bench");
        storage = store.equals("s3") ? s3Storage() : new FileSystemCheckpointStorage(directory.toString());
        try (CheckpointCoordinator coordinator = coordinator();
                CheckpointableKeyedStateBackend<Long> instance = stateBackend()
                        .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                                .operatorIdentifier(JOB)
                                .build())) {
            coordinator.registerKeyedBackend(JOB, instance);
            for (long key = 0; key < keys; key++) {
                instance.setCurrentKey(key);
                instance.getState(descriptor).update(key);
            }
            coordinator.triggerCheckpoint().get();
        }
    }

    private StateBackend stateBackend() {
        return backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    private CheckpointCoordinator coordinator() throws IOException {
        return new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(1, 1), Runnable::run);
    }

    private static FileSystemCheckpointStorage s3Storage() throws IOException {
        String file = System.getenv("S3PROXY_TEST_CONFIG");
        if (file == null) {
            throw new IllegalStateException("store=s3 needs S3Proxy: run '.ci/s3proxy.sh start' and set"
                    + " S3PROXY_TEST_CONFIG=target/s3proxy/s3proxy-test.properties");
        }
        Properties server = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            server.load(in);
        }
        String bucket = "cairn-bench-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(server.getProperty("endpoint")))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.getProperty("accessKey"), server.getProperty("secretKey"))))
                .build()) {
            client.createBucket(b -> b.bucket(bucket));
        }
        Configuration configuration = new Configuration()
                .set(S3Options.ENDPOINT, server.getProperty("endpoint"))
                .set(S3Options.PATH_STYLE_ACCESS, true)
                .set(S3Options.ACCESS_KEY, server.getProperty("accessKey"))
                .set(S3Options.SECRET_KEY, server.getProperty("secretKey"));
        return new FileSystemCheckpointStorage(
                new FileSystemRegistry(configuration), "s3://" + bucket + "/checkpoints");
    }

    @Benchmark
    public CheckpointableKeyedStateBackend<Long> restore() throws Exception {
        try (CheckpointCoordinator coordinator = coordinator();
                CheckpointCoordinator.RestoreSession session =
                        coordinator.restoreLatest().orElseThrow()) {
            if (verifyFirst) {
                for (FileStateHandle file : session.getCheckpoint().files()) {
                    file.verify();
                }
            }
            restored = stateBackend()
                    .createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.LONG)
                            .operatorIdentifier(JOB)
                            .restoreFrom(session.keyedState(JOB))
                            .build());
        }
        return restored;
    }

    @TearDown(Level.Invocation)
    public void closeRestored() {
        if (restored != null) {
            restored.close();
            restored = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
        BenchmarkSupport.deleteRecursively(directory);
    }
}

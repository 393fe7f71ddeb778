package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.s3.PrivateS3Proxy;
import dev.cairn.s3.S3TestServer;
import dev.cairn.state.Configuration;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checkpoints on S3 (S3Proxy) through the coordinator: incremental RocksDB and heap checkpoints retained, subsumed and
 * restored (also rescaled), a corrupted object caught by Cairn's own checksum, and a store that dies in the middle
 * of a checkpoint and comes back.
 */
class S3CheckpointTest {
    private static final String JOB = "job";

    @TempDir
    Path temporary;

    private String bucket;
    private String directory;
    /** The file systems of this test's storages; a test with other S3 settings replaces them. */
    private FileSystemRegistry fileSystems;

    @BeforeEach
    void setUp() {
        bucket = S3TestServer.sharedBucket();
        directory = "s3://" + bucket + "/checkpoint-test/" + UUID.randomUUID();
        fileSystems = new FileSystemRegistry(S3TestServer.configuration());
    }

    @AfterEach
    void closeFileSystems() {
        if (fileSystems != null) {
            fileSystems.close();
        }
    }

    private void useSettings(Configuration configuration) {
        fileSystems.close();
        fileSystems = new FileSystemRegistry(configuration);
    }

    private CheckpointCoordinator coordinator(int retained, java.util.concurrent.Executor executor) throws IOException {
        FileSystemCheckpointStorage storage =
                new FileSystemCheckpointStorage(fileSystems, directory, null, 0, 4096, true);
        return new CheckpointCoordinator(
                storage.createAccess(JOB), new CheckpointCoordinator.Settings(retained, 1), executor);
    }

    /** The backends whose checkpoints share files between checkpoints. */
    private static StateBackend backend(String variant) {
        return switch (variant) {
            case "rocksdb-incremental" -> new EmbeddedRocksDBStateBackend(true);
            case "heap-incremental" -> new HashMapStateBackend(true).withChainLimits(3, 100);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    private Set<String> sharedObjects() throws IOException {
        StoragePath shared = StoragePath.of(directory).resolve(JOB).resolve("shared");
        return fileSystems.get(shared).list(shared).stream()
                .map(status -> status.path().getName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb-incremental", "heap-incremental"})
    void incrementalCheckpointsAreRetainedSubsumedAndRestoredIntoAnotherParallelism(String variant) throws Exception {
        int keys = 5_000;
        try (CheckpointTestJob job = new CheckpointTestJob(backend(variant), 2, keys, List.of());
                CheckpointCoordinator coordinator = coordinator(2, Runnable::run)) {
            job.registerWith(coordinator);
            for (int round = 1; round <= 5; round++) {
                for (int i = round; i < keys; i += 50) {
                    job.update("key-" + i, round);
                }
                if (round == 1) {
                    job.write(1);
                }
                coordinator.triggerCheckpoint().get();
                assertThat(sharedObjects())
                        .as("after checkpoint %d the bucket holds exactly the retained checkpoints' SST files", round)
                        .isEqualTo(CheckpointTestJob.sharedFileNames(coordinator.getRetainedCheckpoints()));
            }
            assertThat(coordinator.getRetainedCheckpoints())
                    .extracting(CompletedCheckpoint::getCheckpointId)
                    .containsExactly(4L, 5L);
            Map<String, String> expected = job.contents();
            try (CheckpointCoordinator restarted = coordinator(2, Runnable::run)) {
                assertThat(CheckpointTestJob.restoreLatest(restarted, backend(variant), 3, keys))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void withKeyEntropyDataObjectsGetAHashPrefixAndSubsumedOnesAreStillDeleted() throws Exception {
        useSettings(S3TestServer.configuration()
                .setString("s3.entropy.key", "_entropy_")
                .setString("s3.entropy.length", "4"));
        String test = "entropy-test/" + UUID.randomUUID();
        directory = "s3://" + bucket + "/_entropy_/" + test;
        int keys = 3_000;
        try (CheckpointTestJob job = new CheckpointTestJob(new EmbeddedRocksDBStateBackend(true), 2, keys, List.of());
                CheckpointCoordinator coordinator = coordinator(1, Runnable::run)) {
            job.registerWith(coordinator);
            job.write(1);
            for (int round = 2; round <= 4; round++) {
                for (int i = round; i < keys; i += 30) {
                    job.update("key-" + i, round);
                }
                coordinator.triggerCheckpoint().get();
            }
            List<String> objects = new ArrayList<>();
            S3TestServer.client()
                    .listObjectsV2Paginator(b -> b.bucket(bucket))
                    .contents()
                    .forEach(object -> {
                        if (object.key().contains(test)) {
                            objects.add(object.key());
                        }
                    });
            CompletedCheckpoint latest =
                    coordinator.getLatestCompletedCheckpoint().orElseThrow();
            assertThat(objects)
                    .as("the metadata sits at the path without the entropy segment")
                    .contains(test + "/" + JOB + "/chk-" + latest.getCheckpointId() + "/_metadata");
            List<String> data =
                    objects.stream().filter(key -> !key.endsWith("_metadata")).toList();
            assertThat(data).allMatch(key -> key.matches("[0-9a-f]{4}/" + test + "/.*"), "under a 4-hex prefix");
            assertThat(data.stream().map(key -> key.substring(key.lastIndexOf('/') + 1)))
                    .as("only the retained checkpoint's files remain; subsumed ones were deleted by handle")
                    .containsExactlyInAnyOrderElementsOf(latest.files().stream()
                            .map(file -> file.getPath().getName())
                            .toList());
            Map<String, String> expected = job.contents();
            try (CheckpointCoordinator restarted = coordinator(1, Runnable::run)) {
                assertThat(CheckpointTestJob.restoreLatest(restarted, new EmbeddedRocksDBStateBackend(true), 3, keys))
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void aCorruptedObjectIsCaughtByItsChecksumAsTheBackendReadsIt() throws Exception {
        int keys = 2_000;
        CompletedCheckpoint checkpoint;
        try (CheckpointTestJob job = new CheckpointTestJob(1, keys, List.of());
                CheckpointCoordinator coordinator = coordinator(1, Runnable::run)) {
            job.registerWith(coordinator);
            job.write(1);
            checkpoint = coordinator.triggerCheckpoint().get();
        }
        FileStateHandle victim = checkpoint.files().get(0);
        S3Client s3 = S3TestServer.client();
        String key = victim.getPath().toUri().getPath().substring(1);
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        bytes[bytes.length / 2] ^= 0x10; // one flipped bit, same length: only a checksum notices
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));

        try (CheckpointCoordinator restarted = coordinator(1, Runnable::run)) {
            // The coordinator checks each object's length (HEAD); the bytes are checked on the one read that
            // restores them.
            var session = restarted.restoreLatest().orElseThrow();
            assertThatThrownBy(() -> new CheckpointTestJob(1, keys, session.keyedState(CheckpointTestJob.OPERATOR)))
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(victim.getPath().toString())
                    .hasMessageContaining("CRC32C");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rocksdb-incremental", "heap-incremental"})
    void aStoreKilledInTheMiddleOfACheckpointsUploadsFailsItCleanlyAndTheNextSucceedsOnceItIsBack(String variant)
            throws Exception {
        int keys = 20_000;
        try (PrivateS3Proxy server = new PrivateS3Proxy(temporary.resolve("s3proxy"))) {
            // Few attempts: the store is really gone, retrying more only slows the test. A killed store refuses
            // connections at once, so the attempt timeout stays generous: a short one failed checkpoint 1 on a
            // loaded CI machine while the store was still up.
            useSettings(S3TestServer.configuration(server.endpoint())
                    .set(S3Options.MAX_ATTEMPTS, 3)
                    .set(S3Options.ATTEMPT_TIMEOUT, Duration.ofSeconds(60)));
            S3TestServer.client(server.endpoint()).createBucket(b -> b.bucket(bucket));
            FileSystemCheckpointStorage storage =
                    new FileSystemCheckpointStorage(fileSystems, directory, null, 0, 4096, true);
            // Kills the store right after the first file of checkpoint 2 is uploaded: the other uploads of that
            // checkpoint run into a dead store.
            CheckpointStorageAccess killingAfterFirstFile =
                    new KillingStorageAccess(storage.createAccess(JOB), 2, server::kill);
            ExecutorService uploads = Executors.newSingleThreadExecutor();
            try (CheckpointTestJob job = new CheckpointTestJob(backend(variant), 2, keys, List.of());
                    CheckpointCoordinator coordinator = new CheckpointCoordinator(
                            killingAfterFirstFile, new CheckpointCoordinator.Settings(2, 1), uploads)) {
                job.registerWith(coordinator);
                job.write(1);
                assertThat(coordinator
                                .triggerCheckpoint()
                                .get(60, TimeUnit.SECONDS)
                                .getCheckpointId())
                        .isEqualTo(1);

                job.write(2);
                CompletableFuture<CompletedCheckpoint> second = coordinator.triggerCheckpoint();
                assertThatThrownBy(() -> second.get(120, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("S3");
                assertThat(coordinator.getPendingCheckpoints()).isZero();
                assertThat(coordinator
                                .getLatestCompletedCheckpoint()
                                .orElseThrow()
                                .getCheckpointId())
                        .isEqualTo(1);

                server.start();
                job.write(3);
                assertThat(coordinator
                                .triggerCheckpoint()
                                .get(60, TimeUnit.SECONDS)
                                .getCheckpointId())
                        .isEqualTo(3);
                Map<String, String> expected = job.contents();

                // The file uploaded before the kill could not be deleted while the store was down; the next
                // coordinator's start removes such orphans.
                try (CheckpointCoordinator restarted = coordinator(2, Runnable::run)) {
                    assertThat(CheckpointTestJob.restoreLatest(restarted, backend(variant), 2, keys))
                            .isEqualTo(expected);
                    assertThat(restarted.getRetainedCheckpoints())
                            .extracting(CompletedCheckpoint::getCheckpointId)
                            .containsExactly(1L, 3L);
                    assertThat(sharedObjects())
                            .as("nothing of the failed checkpoint is left in the bucket")
                            .isEqualTo(CheckpointTestJob.sharedFileNames(restarted.getRetainedCheckpoints()));
                }
            } finally {
                uploads.shutdownNow();
            }
        }
    }

    /** A storage access that runs {@code kill} once, after the first file of checkpoint {@code victim} is written. */
    private static final class KillingStorageAccess implements CheckpointStorageAccess {
        private final CheckpointStorageAccess delegate;
        private final long victim;
        private final Runnable kill;
        private final AtomicBoolean killed = new AtomicBoolean();

        KillingStorageAccess(CheckpointStorageAccess delegate, long victim, Runnable kill) {
            this.delegate = delegate;
            this.victim = victim;
            this.kill = kill;
        }

        @Override
        public CheckpointStorageLocation initializeCheckpoint(long checkpointId, StreamWriteListener listener)
                throws IOException {
            return delegate.initializeCheckpoint(checkpointId, (bytes, file) -> {
                listener.streamWritten(bytes, file);
                if (checkpointId == victim && file && killed.compareAndSet(false, true)) {
                    kill.run();
                }
            });
        }

        @Override
        public CheckpointStorageLocation initializeSavepoint(
                long checkpointId, String targetDirectory, StreamWriteListener listener) throws IOException {
            return delegate.initializeSavepoint(checkpointId, targetDirectory, listener);
        }

        @Override
        public List<CompletedCheckpoint> findCompletedCheckpoints() throws IOException {
            return delegate.findCompletedCheckpoints();
        }

        @Override
        public long highestCheckpointId() throws IOException {
            return delegate.highestCheckpointId();
        }

        @Override
        public void cleanupIncompleteCheckpoints(Set<Long> inProgress) throws IOException {
            delegate.cleanupIncompleteCheckpoints(inProgress);
        }

        @Override
        public void cleanupOrphanedSharedState(Set<StoragePath> referenced) throws IOException {
            delegate.cleanupOrphanedSharedState(referenced);
        }
    }
}

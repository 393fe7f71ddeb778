package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.conformance.ChangelogFixtures;
import dev.cairn.s3.S3TestServer;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.heap.HashMapStateBackend;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints tampered with, on a local disk and on S3, for every backend (heap, RocksDB full and incremental,
 * changelog): bit flips at every byte of {@code _metadata} and of the streams inlined in it, offsets shortened or
 * swapped, ranges and ids that disagree, paths of every scope that escape the storage roots, deleted files. Each
 * ends in a {@link CorruptCheckpointException} naming what is wrong, before any backend restores anything; a file
 * outside the roots is never read or deleted; a checkpoint whose {@code _metadata} is gone never completed, and
 * the one before it is restored. Large files are sampled: at most {@code -Dcairn.tampering.positions} (default
 * 2048; 48 on S3) byte positions each.
 */
class CheckpointTamperingTest {
    private static final String JOB = "tampered";
    private static final int KEYS = 12;
    private static final int POSITIONS = Integer.getInteger("cairn.tampering.positions", 2048);
    private static final int S3_POSITIONS = Integer.getInteger("cairn.tampering.s3-positions", 48);

    enum Kind {
        HASHMAP,
        ROCKSDB_FULL,
        ROCKSDB_INCREMENTAL,
        CHANGELOG
    }

    enum Store {
        LOCAL,
        S3
    }

    @TempDir
    Path temporary;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    static Stream<Arguments> setups() {
        List<Arguments> setups = new ArrayList<>();
        for (Store store : Store.values()) {
            for (Kind kind : Kind.values()) {
                setups.add(Arguments.of(store, kind));
            }
        }
        return setups.stream();
    }

    /** A job of one backend kind checkpointing into one store; {@code inline}: small streams go into metadata. */
    private final class Job {
        final Store store;
        final Kind kind;
        final StoragePath root;
        final StoragePath changelogRoot;
        final FileSystem fileSystem;
        final FileSystemCheckpointStorage storage;
        final StateChangelogStorage changelog;
        final List<Map<String, String>> checkpointed = new ArrayList<>();

        Job(Store store, Kind kind, boolean inline) throws IOException {
            this.store = store;
            this.kind = kind;
            if (store == Store.S3) {
                S3TestServer.assumeAvailable();
                root = StoragePath.of("s3://" + S3TestServer.sharedBucket() + "/tampering/" + UUID.randomUUID());
            } else {
                root = StoragePath.fromLocal(temporary.resolve("root-" + UUID.randomUUID()));
            }
            // The storage and the changelog storage each own their file systems, as in a StateEnvironment.
            storage = new FileSystemCheckpointStorage(
                    fileSystems(store),
                    root.resolve("checkpoints").toString(),
                    null,
                    inline ? 20 * 1024 : 0,
                    4096,
                    true);
            resources.add(storage::close);
            fileSystem = storage.getFileSystems().get(root);
            changelogRoot = root.resolve("changelog");
            storage.acceptChangelogDirectory(changelogRoot);
            if (kind == Kind.CHANGELOG) {
                changelog = ChangelogFixtures.fileSystemStorage(fileSystems(store), changelogRoot);
                resources.add(changelog::close);
            } else {
                changelog = null;
            }
        }

        private FileSystemRegistry fileSystems(Store store) {
            return store == Store.S3
                    ? new FileSystemRegistry(S3TestServer.configuration())
                    : FileSystemRegistry.withDefaults();
        }

        StateBackend backend() {
            return switch (kind) {
                case HASHMAP -> new HashMapStateBackend();
                case ROCKSDB_FULL -> new EmbeddedRocksDBStateBackend(false);
                case ROCKSDB_INCREMENTAL -> new EmbeddedRocksDBStateBackend(true);
                case CHANGELOG ->
                    new ChangelogStateBackend(
                            new HashMapStateBackend(),
                            changelog,
                            new ChangelogStateBackend.Settings(false, Duration.ofMinutes(10), 3, 512));
            };
        }

        /** Writes and checkpoints {@code rounds} generations of state; remembers each checkpoint's contents. */
        Job checkpoint(int rounds) throws Exception {
            try (CheckpointTestJob job = new CheckpointTestJob(backend(), 1, KEYS, List.of());
                    CheckpointCoordinator coordinator = new CheckpointCoordinator(
                            storage.createAccess(JOB), new CheckpointCoordinator.Settings(rounds, 1), Runnable::run)) {
                job.registerWith(coordinator);
                for (int round = 1; round <= rounds; round++) {
                    job.write(round);
                    coordinator.triggerCheckpoint().get();
                    checkpointed.add(job.contents());
                }
            }
            return this;
        }

        StoragePath metadata(long checkpointId) {
            return root.resolve("checkpoints")
                    .resolve(JOB)
                    .resolve("chk-" + checkpointId)
                    .resolve("_metadata");
        }

        /** What a restarted job restores: the latest checkpoint, through a fresh coordinator. */
        Map<String, String> restore() throws Exception {
            // Retaining every checkpoint: the restore must not subsume (delete) the ones before the latest.
            CheckpointCoordinator coordinator = new CheckpointCoordinator(
                    storage.createAccess(JOB), new CheckpointCoordinator.Settings(10, 1), Runnable::run);
            return CheckpointTestJob.restoreLatest(coordinator, backend(), 1, KEYS);
        }

        byte[] read(StoragePath path) throws IOException {
            try (var in = fileSystem.open(path)) {
                return in.readAllBytes();
            }
        }

        void write(StoragePath path, byte[] content) throws IOException {
            fileSystem.writeReplacing(path, content);
        }

        int positions() {
            return store == Store.S3 ? S3_POSITIONS : POSITIONS;
        }
    }

    /** Byte positions to damage in {@code length} bytes: every one, or an even sample of {@code limit}. */
    private static List<Integer> positions(int length, int limit) {
        List<Integer> positions = new ArrayList<>();
        long step = Math.max(1, (long) Math.ceil((double) length / limit));
        for (long position = 0; position < length; position += step) {
            positions.add((int) position);
        }
        return positions;
    }

    private static void assertRefused(Job job, String... messageParts) {
        var refusal = assertThatThrownBy(job::restore).isInstanceOf(CorruptCheckpointException.class);
        for (String part : messageParts) {
            refusal.hasMessageContaining(part);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aBitFlipAnywhereInTheMetadataIsRefusedNamingIt(Store store, Kind kind) throws Exception {
        Job job = new Job(store, kind, true).checkpoint(1);
        StoragePath metadata = job.metadata(1);
        byte[] original = job.read(metadata);
        for (int position : positions(original.length, job.positions())) {
            byte[] damaged = original.clone();
            damaged[position] ^= (byte) (1 << (position % 8));
            job.write(metadata, damaged);
            assertThatThrownBy(job::restore)
                    .as("bit %d of byte %d", position % 8, position)
                    .isInstanceOf(CorruptCheckpointException.class)
                    .hasMessageContaining(metadata.toString());
        }
        job.write(metadata, original);
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aBitFlipAnywhereInAnInlinedStreamIsRefusedEvenWithAValidMetadataChecksum(Store store, Kind kind)
            throws Exception {
        Job job = new Job(store, kind, true).checkpoint(1);
        StoragePath metadata = job.metadata(1);
        byte[] original = job.read(metadata);
        List<JsonNode> inlined = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(original).findParents("data").stream()
                        .filter(node -> node.path("type").asText().equals("inline"))
                        .toList();
        if (kind != Kind.CHANGELOG) { // changelog segments and materializations are always files
            assertThat(inlined).as("the checkpoint inlines its small streams").isNotEmpty();
        }
        for (int stream = 0; stream < inlined.size(); stream++) {
            byte[] data =
                    Base64.getDecoder().decode(inlined.get(stream).get("data").asText());
            String encoded = inlined.get(stream).get("data").asText();
            for (int position : positions(data.length, Math.max(1, job.positions() / inlined.size()))) {
                byte[] damaged = data.clone();
                damaged[position] ^= (byte) (1 << (position % 8));
                String replacement = Base64.getEncoder().encodeToString(damaged);
                TamperedMetadata.edit(job.fileSystem, metadata, root -> replaceData(root, encoded, replacement));
                assertThatThrownBy(job::restore)
                        .as("stream %d, byte %d", stream, position)
                        .isInstanceOf(CorruptCheckpointException.class)
                        .hasMessageContaining("inline")
                        .hasMessageContaining("CRC32C");
                job.write(metadata, original);
            }
        }
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(0));
    }

    private static void replaceData(JsonNode node, String encoded, String replacement) {
        if (node instanceof ObjectNode object) {
            if (object.path("data").asText().equals(encoded)) {
                object.put("data", replacement);
            }
            object.elements().forEachRemaining(child -> replaceData(child, encoded, replacement));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> replaceData(child, encoded, replacement));
        }
    }

    /** Applies {@code edit} to every key-group handle (the meta handle of native ones) in the metadata. */
    private static Consumer<ObjectNode> onKeyGroupHandles(Consumer<ObjectNode> edit) {
        return root -> root.findParents("offsets").forEach(node -> edit.accept((ObjectNode) node));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void offsetsRangesIdsAndOperatorsThatDisagreeAreRefused(Store store, Kind kind) throws Exception {
        Job job = new Job(store, kind, false).checkpoint(1);
        StoragePath metadata = job.metadata(1);
        byte[] original = job.read(metadata);
        List<Consumer<ObjectNode>> edits = List.of(
                onKeyGroupHandles(handle -> ((ArrayNode) handle.get("offsets")).remove(0)),
                onKeyGroupHandles(handle -> {
                    ArrayNode offsets = (ArrayNode) handle.get("offsets");
                    JsonNode first = offsets.get(0);
                    offsets.set(0, offsets.get(offsets.size() - 1));
                    offsets.set(offsets.size() - 1, first);
                }),
                // Ranges narrowed to their first key group: the handles claim less than their data holds.
                root -> root.findParents("endKeyGroup")
                        .forEach(handle -> ((ObjectNode) handle)
                                .put("endKeyGroup", handle.get("startKeyGroup").asInt())),
                root -> root.put("checkpointId", 7),
                root -> root.putArray("operators"));
        for (int index = 0; index < edits.size(); index++) {
            TamperedMetadata.edit(job.fileSystem, metadata, edits.get(index));
            if (java.util.Arrays.equals(TamperedMetadata.normalized(original), job.read(metadata))) {
                continue; // nothing to edit: a changelog checkpoint without materialization has no offsets
            }
            assertThat(org.assertj.core.api.Assertions.catchThrowable(job::restore))
                    .as("edit %d of %s", index, new String(job.read(metadata), StandardCharsets.UTF_8))
                    .isInstanceOf(CorruptCheckpointException.class);
            job.write(metadata, original);
        }
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(0));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void pathsThatEscapeTheRootsAreRefusedAndNothingOutsideIsReadOrDeleted(Store store, Kind kind) throws Exception {
        Job job = new Job(store, kind, false).checkpoint(2);
        StoragePath victim = store == Store.S3
                ? StoragePath.of("s3://" + S3TestServer.sharedBucket() + "/elsewhere/" + UUID.randomUUID())
                : StoragePath.fromLocal(temporary.resolve("outside-every-root"));
        byte[] victimContent = "not Cairn's".getBytes(StandardCharsets.UTF_8);
        job.write(victim, victimContent);
        StoragePath metadata = job.metadata(2);
        byte[] original = job.read(metadata);
        String scope = switch (kind) {
            case HASHMAP, ROCKSDB_FULL -> "EXCLUSIVE";
            case ROCKSDB_INCREMENTAL -> "SHARED";
            case CHANGELOG -> "CHANGELOG";
        };
        List<String> escapes = List.of(
                victim.toString(),
                "../../../" + victim.getName(),
                changelogOrRelative(job, scope) + "/../../" + victim.getName());
        for (String escape : escapes) {
            TamperedMetadata.edit(
                    job.fileSystem,
                    metadata,
                    root -> root.findParents("scope").stream()
                            .filter(stream -> stream.get("scope").asText().equals(scope))
                            .forEach(stream -> ((ObjectNode) stream).put("path", escape)));
            assertRefused(job, "_metadata");
            job.write(metadata, original);
        }
        assertThat(job.read(victim))
                .as("the file outside the roots is untouched")
                .isEqualTo(victimContent);
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(1));
    }

    @org.junit.jupiter.api.Test
    void aSymbolicLinkLeadingOutOfTheRootsIsRefusedEvenWithTheRightContent() throws Exception {
        Job job = new Job(Store.LOCAL, Kind.HASHMAP, false).checkpoint(1);
        FileStateHandle exclusive = job.storage.createAccess(JOB).findCompletedCheckpoints().get(0).files().stream()
                .filter(file -> file.getScope() == dev.cairn.state.spi.StateScope.EXCLUSIVE)
                .findFirst()
                .orElseThrow();
        java.nio.file.Path inside = exclusive.getPath().toLocalPath();
        java.nio.file.Path outside = temporary.resolve("moved-out-of-the-checkpoint");
        java.nio.file.Files.move(inside, outside);
        java.nio.file.Files.createSymbolicLink(inside, outside);
        assertRefused(job, "symbolic link", outside.toString());
        assertThat(outside).as("the file outside is untouched").exists();
    }

    private static String changelogOrRelative(Job job, String scope) {
        return scope.equals("CHANGELOG") ? job.changelogRoot.toString() : "x";
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void anUnreadableLatestCheckpointIsNeverSkippedSilentlyButAnEarlierOneCanBeChosen(Store store, Kind kind)
            throws Exception {
        Job job = new Job(store, kind, false).checkpoint(2);
        StoragePath metadata = job.metadata(2);
        byte[] damaged = job.read(metadata);
        damaged[damaged.length / 2] ^= 0x10;
        job.write(metadata, damaged);
        String earlier = job.metadata(1).getParent().toString();
        assertRefused(job, "latest checkpoint 2", "does not fall back", "execution.state-recovery.path", earlier);

        CheckpointCoordinator coordinator = new CheckpointCoordinator(
                job.storage.createAccess(JOB), new CheckpointCoordinator.Settings(1, 1), Runnable::run);
        assertThat(coordinator.getUnreadableCheckpoints())
                .singleElement()
                .satisfies(unreadable -> assertThat(unreadable.checkpointId()).isEqualTo(2));
        // The operator's choice: the earlier checkpoint, claimed.
        var session = coordinator.restoreFrom(job.storage.resolve(earlier), StateRecoveryOptions.ClaimMode.CLAIM);
        try (CheckpointTestJob restored =
                new CheckpointTestJob(job.backend(), 1, KEYS, session.keyedState(CheckpointTestJob.OPERATOR))) {
            assertThat(restored.contents()).isEqualTo(job.checkpointed.get(0));
        }
        assertThat(job.read(metadata))
                .as("the unreadable checkpoint is kept as it is")
                .isEqualTo(damaged);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aDeletedFileIsRefusedNamingItAndAMissingMetadataMeansTheCheckpointBefore(Store store, Kind kind)
            throws Exception {
        Job job = new Job(store, kind, false).checkpoint(2);
        CompletedCheckpoint latest =
                job.storage.createAccess(JOB).findCompletedCheckpoints().get(1);
        for (FileStateHandle file : latest.files()) {
            byte[] content = job.read(file.getPath());
            job.fileSystem.delete(file.getPath(), false);
            assertRefused(job, file.getPath().toString(), "missing");
            job.write(file.getPath(), content);
        }
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(1));
        // Without _metadata checkpoint 2 never completed: the job resumes from checkpoint 1.
        job.fileSystem.delete(job.metadata(2), false);
        assertThat(job.restore()).isEqualTo(job.checkpointed.get(0));
    }
}

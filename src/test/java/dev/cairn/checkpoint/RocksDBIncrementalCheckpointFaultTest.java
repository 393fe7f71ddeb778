package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The storage fault tests with RocksDB incremental checkpoints (every fault point of the uploads, full disk,
 * damaged files), plus damaged shared files: a corrupted SST in {@code shared/} is caught by its checksum, both by
 * the coordinator's verification and by the backend's download.
 */
class RocksDBIncrementalCheckpointFaultTest extends CheckpointFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected StateBackend backend() {
        return new EmbeddedRocksDBStateBackend(true);
    }

    private Path aSharedFile() throws IOException {
        try (Stream<Path> files = Files.list(sharedDirectory())) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    @Test
    void aCorruptedSharedFileIsDetectedByTheCoordinatorsVerification() throws Exception {
        checkpointOnce();
        Path file = aSharedFile();
        flipABit(file);
        assertChecksumErrorNaming(file, () -> restoreLatest(1));
    }

    @Test
    void aCorruptedSharedFileIsDetectedWhileTheBackendDownloadsIt() throws Exception {
        checkpointOnce();
        Path file = aSharedFile();
        flipABit(file);
        assertBackendCatchesDamage(file);
    }

    /** The named files (RocksDB name, stream) of the native checkpoint in {@code _metadata} of checkpoint 1. */
    private List<JsonNode> namedFiles() throws IOException {
        JsonNode root =
                JSON.readTree(checkpointDirectory(1).resolve("_metadata").toFile());
        List<JsonNode> named = new java.util.ArrayList<>();
        for (JsonNode node : root.findParents("stream")) {
            if (node.has("name") && node.path("stream").path("type").asText().equals("file")) {
                named.add(node);
            }
        }
        return named;
    }

    /** Records {@code file}'s present CRC32C in the metadata: as if the damage happened before the upload. */
    private void recordPresentChecksum(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        String oldCrc = namedFiles().stream()
                .map(node -> node.get("stream"))
                .filter(stream ->
                        stream.get("path").asText().equals(file.getFileName().toString()))
                .findFirst()
                .orElseThrow()
                .get("crc32c")
                .asText();
        TamperedMetadata.rewrite(
                checkpointDirectory(1).resolve("_metadata"),
                json -> json.replace(
                        "\"crc32c\" : \"" + oldCrc + "\"", String.format("\"crc32c\" : \"%08x\"", crc.getValue())));
    }

    /** The stored file of the checkpoint's RocksDB file whose name starts with {@code prefix}. */
    private Path storedFile(String prefix) throws IOException {
        JsonNode named = namedFiles().stream()
                .filter(node -> node.get("name").asText().startsWith(prefix))
                .findFirst()
                .orElseThrow();
        String path = named.get("stream").get("path").asText();
        return named.get("stream").get("scope").asText().equals("SHARED")
                ? sharedDirectory().resolve(path)
                : checkpointDirectory(1).resolve(path);
    }

    @Test
    void aDamagedSstWhoseRecordedChecksumMatchesIsCaughtByRocksDBsBlockChecksums() throws Exception {
        checkpointOnce();
        Path sst = storedFile("0"); // SST files are numbered: 000012.sst
        flipABit(sst);
        recordPresentChecksum(sst);
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("are damaged")
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining(sst.getFileName().toString())
                .hasMessageContaining("restore from an earlier checkpoint");
    }

    @Test
    void aDamagedManifestIsACorruptCheckpointNamingIt() throws Exception {
        checkpointOnce();
        Path manifest = storedFile("MANIFEST-");
        flipABit(manifest);
        recordPresentChecksum(manifest);
        assertThatThrownBy(() -> restoreLatest(1))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("MANIFEST-")
                .hasMessageContaining(manifest.getFileName().toString());
    }

    @Test
    void orphanedUploadsOfACrashedCheckpointAreDeletedWhenTheNextCoordinatorStarts() throws Exception {
        checkpointOnce();
        Path orphan = sharedDirectory().resolve("left-by-a-crash");
        Files.writeString(orphan, "partial upload");
        CheckpointCoordinator restarted = coordinator(storage());
        assertThat(orphan).doesNotExist();
        assertThat(restarted.restoreLatest()).isPresent();
        assertSharedFilesAreReferenced(restarted);
        assertThat(restarted.getSharedStateRegistry().referencedFiles())
                .as("the registry is rebuilt from the retained checkpoint's metadata")
                .isNotEmpty();
    }

    @Test
    void checkpointsAfterAFailedOneStillRestoreExactly() throws Exception {
        try (CheckpointTestJob job = new CheckpointTestJob(backend(), 2, 200, List.of())) {
            CheckpointCoordinator coordinator = coordinator(storage());
            job.registerWith(coordinator);
            job.write(1);
            coordinator.triggerCheckpoint().get();
            job.write(2);
            FS.failAt(4, FaultInjectingFileSystem.Mode.FAIL);
            assertThatThrownBy(() -> coordinator.triggerCheckpoint().get())
                    .hasCauseInstanceOf(CheckpointException.class);
            FS.reset();
            assertSharedFilesAreReferenced(coordinator);
            job.write(3);
            coordinator.triggerCheckpoint().get();
            assertThat(restoreLatest(3)).isEqualTo(job.contents());
        }
    }
}

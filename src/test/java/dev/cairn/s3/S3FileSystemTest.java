package dev.cairn.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.checkpoint.s3.S3Options;
import dev.cairn.state.Configuration;
import dev.cairn.state.MemorySize;
import dev.cairn.state.spi.StateInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code s3://} file system against a real S3 API (S3Proxy). */
class S3FileSystemTest {
    private StoragePath root;
    private FileSystem fileSystem;
    /** Every registry a test opened, closed after it (with its S3 client). */
    private final List<FileSystemRegistry> registries = new ArrayList<>();

    @BeforeEach
    void setUp() {
        root = StoragePath.of("s3://" + S3TestServer.sharedBucket() + "/fs-test/" + UUID.randomUUID());
        fileSystem = withSettings(S3TestServer.configuration());
    }

    @AfterEach
    void closeFileSystems() {
        registries.forEach(FileSystemRegistry::close);
    }

    /** A file system of its own registry, with {@code configuration}. */
    private FileSystem withSettings(Configuration configuration) {
        FileSystemRegistry registry = new FileSystemRegistry(configuration);
        registries.add(registry);
        return registry.get(root);
    }

    /** The file system with S3's minimum part size, so that a few megabytes make a multipart upload. */
    private FileSystem withFiveMegabyteParts() {
        return withSettings(S3TestServer.configuration().set(S3Options.PART_SIZE, MemorySize.ofMebiBytes(5)));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private void write(StoragePath path, byte[] bytes) throws IOException {
        try (FileSystem.DurableOutputStream out = fileSystem.create(path)) {
            out.write(bytes);
            out.sync();
        }
    }

    private byte[] read(StoragePath path) throws IOException {
        try (StateInputStream in = fileSystem.open(path)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSmallFileRoundTripsAndHasItsSize() throws IOException {
        StoragePath file = root.resolve("small.bin");
        byte[] bytes = randomBytes(10_000, 1);
        write(file, bytes);
        assertThat(read(file)).isEqualTo(bytes);
        assertThat(fileSystem.size(file)).isEqualTo(bytes.length);
        assertThat(fileSystem.exists(file)).isTrue();
        assertThat(fileSystem.exists(root.resolve("absent"))).isFalse();
    }

    @Test
    void aFileLargerThanThePartSizeIsUploadedInPartsAndReadBackWithSeeks() throws IOException {
        // 5 MB parts (S3's minimum) so that 12 MB make three parts.
        FileSystem multipart = withFiveMegabyteParts();
        StoragePath file = root.resolve("large.bin");
        byte[] bytes = randomBytes(12 * 1024 * 1024 + 12_345, 2);
        try (FileSystem.DurableOutputStream out = multipart.create(file)) {
            for (int offset = 0; offset < bytes.length; offset += 100_000) {
                out.write(bytes, offset, Math.min(100_000, bytes.length - offset));
            }
        }
        assertThat(multipart.size(file)).isEqualTo(bytes.length);
        try (StateInputStream in = multipart.open(file)) {
            in.seek(7_000_000);
            byte[] window = in.readNBytes(1000);
            assertThat(window).isEqualTo(java.util.Arrays.copyOfRange(bytes, 7_000_000, 7_001_000));
            in.seek(100); // backwards: a new ranged GET
            assertThat(in.readNBytes(10)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 110));
            in.seek(150); // short forward seek inside the open response
            assertThat(in.getPos()).isEqualTo(150);
            assertThat(in.read()).isEqualTo(bytes[150] & 0xFF);
            in.seek(bytes.length);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(read(file)).isEqualTo(bytes);
        assertThat(openUploads(file))
                .as("the multipart upload is completed, not left open")
                .isEmpty();
    }

    @Test
    void aDiscardedMultipartUploadLeavesNeitherObjectNorParts() throws IOException {
        FileSystem multipart = withFiveMegabyteParts();
        StoragePath file = root.resolve("abandoned.bin");
        FileSystem.DurableOutputStream out = multipart.create(file);
        out.write(randomBytes(11 * 1024 * 1024, 3)); // two full parts handed to the uploaders
        assertThat(openUploads(file)).as("the multipart upload is in progress").isNotEmpty();
        out.discard();
        assertThat(openUploads(file)).as("aborted: no parts left behind").isEmpty();
        assertThat(multipart.exists(file)).isFalse();
    }

    private static List<String> openUploads(StoragePath file) {
        String key = file.toUri().getPath().substring(1);
        return S3TestServer.client()
                .listMultipartUploads(b -> b.bucket(S3TestServer.sharedBucket()).prefix(key))
                .uploads()
                .stream()
                .map(upload -> upload.uploadId())
                .toList();
    }

    @Test
    void createNeverOverwritesAnExistingObject() throws IOException {
        StoragePath file = root.resolve("_metadata");
        write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> write(file, new byte[] {9}))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining(file.toString());
        assertThat(read(file)).containsExactly(1, 2, 3);
    }

    @Test
    void withoutConditionalWritesAnExistingObjectIsStillRefused() throws IOException {
        StoragePath file = root.resolve("existing");
        write(file, new byte[] {1});
        FileSystem checking = withSettings(S3TestServer.configuration().set(S3Options.CONDITIONAL_WRITES, false));
        assertThatThrownBy(() -> {
                    try (FileSystem.DurableOutputStream out = checking.create(file)) {
                        out.write(2);
                    }
                })
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(read(file)).containsExactly(1);
    }

    @Test
    void openingAMissingObjectNamesIt() {
        StoragePath missing = root.resolve("missing.bin");
        assertThatThrownBy(() -> fileSystem.open(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> fileSystem.size(missing)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void listShowsFilesAndSubdirectoriesAndRecursiveDeleteRemovesMoreThanOneBatch() throws IOException {
        write(root.resolve("a"), new byte[1]);
        write(root.resolve("dir/b"), new byte[2]);
        write(root.resolve("dir/deeper/c"), new byte[3]);
        Set<String> listed = fileSystem.list(root).stream()
                .map(status -> status.path().getName() + (status.isDirectory() ? "/" : ":" + status.size()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).containsExactly("a:1", "dir/");
        assertThat(fileSystem.list(root.resolve("nothing-here"))).isEmpty();

        StoragePath many = root.resolve("many");
        List<StoragePath> files = new ArrayList<>();
        for (int i = 0; i < 1_005; i++) { // more than one DeleteObjects request of 1000 keys
            StoragePath file = many.resolve("f" + i);
            write(file, new byte[] {(byte) i});
            files.add(file);
        }
        assertThat(fileSystem.list(many)).hasSize(1_005);
        fileSystem.deleteAll(files.subList(0, 3));
        assertThat(fileSystem.list(many)).hasSize(1_002);
        fileSystem.delete(root, true);
        assertThat(fileSystem.list(root)).isEmpty();
        assertThat(fileSystem.exists(root)).isFalse();
        fileSystem.delete(root.resolve("a"), false); // absent: no error
    }

    @Test
    void renameIsRefusedSoCheckpointsCompleteByWritingMetadataLast() {
        assertThat(fileSystem.supportsAtomicRename()).isFalse();
        assertThatThrownBy(() -> fileSystem.rename(root.resolve("x"), root.resolve("y")))
                .hasMessageContaining("no atomic rename");
    }
}

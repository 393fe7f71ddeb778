package dev.cairn.checkpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wiring and validation of the {@code s3://} file system (no server needed: nothing here sends a request). */
class S3FileSystemFactoryTest {
    private static final StoragePath PATH = StoragePath.of("s3://bucket/checkpoints");

    private final List<FileSystemRegistry> registries = new ArrayList<>();

    @AfterEach
    void closeRegistries() {
        registries.forEach(FileSystemRegistry::close);
    }

    private FileSystem withConfiguration(Configuration configuration) {
        FileSystemRegistry registry = new FileSystemRegistry(configuration);
        registries.add(registry);
        return registry.get(PATH);
    }

    @Test
    void s3PathsAreServedOnceTheModuleIsOnTheClasspath() {
        FileSystem fileSystem = withConfiguration(new Configuration().set(S3Options.ENDPOINT, "http://127.0.0.1:1"));
        assertThat(fileSystem.supportsAtomicRename()).isFalse();
        assertThat(registries.get(0).get(StoragePath.of("s3://other-bucket/x")))
                .as("one file system (and client) per registry, for every bucket")
                .isSameAs(fileSystem);
        assertThat(withConfiguration(new Configuration().set(S3Options.ENDPOINT, "http://127.0.0.1:1")))
                .as("another owner with equal settings gets its own file system, closed with it")
                .isNotSameAs(fileSystem);
        assertThat(new S3FileSystemFactory().options()).contains(S3Options.ENDPOINT, S3Options.PART_SIZE);
    }

    @Test
    void staticCredentialsNeedBothKeys() {
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.ACCESS_KEY, "id")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.secret-key is missing");
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.SECRET_KEY, "secret")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.access-key is missing");
    }

    @Test
    void invalidValuesNameTheKeyAndWhatIsAllowed() {
        assertThatThrownBy(() ->
                        withConfiguration(new Configuration().set(S3Options.PART_SIZE, MemorySize.ofMebiBytes(1))))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.upload.part.size")
                .hasMessageContaining("5mb");
        assertThatThrownBy(() -> withConfiguration(new Configuration().setString("s3.endpoint", "localhost:9000")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.endpoint")
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.MAX_ATTEMPTS, 0)))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.retry.max-attempts");
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.ENTROPY_KEY, "a/b")))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.entropy.key");
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.ENTROPY_LENGTH, 9)))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.entropy.length");
        assertThatThrownBy(() -> withConfiguration(new Configuration().set(S3Options.UPLOAD_THREADS, 0)))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("s3.upload.threads");
    }

    @Test
    void aPathWithoutABucketIsRefused() {
        FileSystem fileSystem = withConfiguration(new Configuration().set(S3Options.ENDPOINT, "http://127.0.0.1:1"));
        assertThatThrownBy(() -> fileSystem.open(StoragePath.of("s3:///no-bucket")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a bucket");
    }
}

package dev.cairn.checkpoint.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.FileSystem;
import dev.cairn.checkpoint.StoragePath;
import dev.cairn.state.Configuration;
import dev.cairn.state.IllegalConfigurationException;
import dev.cairn.state.MemorySize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wiring and validation of the {@code s3://} file system (no server needed: nothing here sends a request). */
class S3FileSystemFactoryTest {
    private static final StoragePath PATH = StoragePath.of("s3://bucket/checkpoints");

    @AfterEach
    void resetConfiguration() {
        FileSystem.initialize(new Configuration());
    }

    private static FileSystem withConfiguration(Configuration configuration) {
        FileSystem.initialize(configuration);
        return FileSystem.get(PATH);
    }

    @Test
    void s3PathsAreServedOnceTheModuleIsOnTheClasspath() {
        FileSystem fileSystem = withConfiguration(new Configuration().set(S3Options.ENDPOINT, "http://127.0.0.1:1"));
        assertThat(fileSystem.supportsAtomicRename()).isFalse();
        assertThat(withConfiguration(new Configuration().set(S3Options.ENDPOINT, "http://127.0.0.1:1")))
                .as("equal settings share one file system and client")
                .isSameAs(fileSystem);
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

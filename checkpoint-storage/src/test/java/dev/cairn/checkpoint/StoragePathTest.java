package dev.cairn.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.LocalFileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoragePathTest {
    @Test
    void plainPathsAndFileUrisAreTheSame() {
        assertThat(StoragePath.of("/tmp/chk")).isEqualTo(StoragePath.of("file:///tmp/chk"));
        assertThat(StoragePath.of("file:/tmp/chk/")).isEqualTo(StoragePath.of("/tmp/chk"));
        assertThat(StoragePath.of("relative/dir").toLocalPath())
                .isEqualTo(Path.of("relative/dir").toAbsolutePath());
        assertThat(StoragePath.of("s3://bucket/prefix/").toString()).isEqualTo("s3://bucket/prefix");
    }

    @Test
    void resolveParentNameRelativize() {
        StoragePath job = StoragePath.of("s3://bucket/checkpoints/job");
        StoragePath file = job.resolve("chk-3/abc");
        assertThat(file.toString()).isEqualTo("s3://bucket/checkpoints/job/chk-3/abc");
        assertThat(file.getName()).isEqualTo("abc");
        assertThat(file.getParent().getName()).isEqualTo("chk-3");
        assertThat(job.relativize(file)).isEqualTo("chk-3/abc");
        assertThat(job.relativize(StoragePath.of("s3://bucket/checkpoints/other/x")))
                .isNull();
        assertThat(job.relativize(StoragePath.of("s3://other/checkpoints/job/x")))
                .isNull();
    }

    @Test
    void escapingRelativePathsAreRejected() {
        StoragePath base = StoragePath.of("/data/chk-1");
        for (String bad : new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "./a", "C:\\x", "a\\..\\b", ""}) {
            assertThatThrownBy(() -> base.resolve(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(base.resolve("shared/f1").toString()).endsWith("/data/chk-1/shared/f1");
    }

    @Test
    void unknownSchemesNameTheMissingModule() {
        try (FileSystemRegistry fileSystems = FileSystemRegistry.withDefaults()) {
            assertThatThrownBy(() -> fileSystems.get(StoragePath.of("s3://bucket/x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cairn-checkpoint-storage-s3");
            assertThatThrownBy(() -> fileSystems.get(StoragePath.of("hdfs://nn/x")))
                    .hasMessageContaining("'hdfs'")
                    .hasMessageContaining("supported here: file");
        }
    }

    @Test
    void aClosedRegistryHandsOutNothing() {
        FileSystemRegistry fileSystems = FileSystemRegistry.withDefaults();
        assertThat(fileSystems.get(StoragePath.of("file:///tmp/x"))).isSameAs(LocalFileSystem.INSTANCE);
        fileSystems.close();
        fileSystems.close(); // idempotent
        assertThatThrownBy(() -> fileSystems.get(StoragePath.of("file:///tmp/x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}

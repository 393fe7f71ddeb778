package dev.cairn.checkpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.LocalFileSystem;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.ByteStreamStateHandle;
import dev.cairn.state.spi.CheckpointStateOutputStream;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsCheckpointStreamFactoryTest {
    @TempDir
    Path directory;

    private FsCheckpointStreamFactory factory(int inlineThreshold) {
        StoragePath root = StoragePath.fromLocal(directory);
        return new FsCheckpointStreamFactory(
                LocalFileSystem.INSTANCE,
                root.resolve("chk-1"),
                root.resolve("shared"),
                100,
                inlineThreshold,
                StreamWriteListener.NONE);
    }

    private static byte[] bytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static byte[] read(StreamStateHandle handle) throws IOException {
        try (InputStream in = handle.openInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void streamsBelowTheThresholdAreInlined() throws IOException {
        CheckpointStateOutputStream out = factory(1000).createOutputStream(StateScope.EXCLUSIVE);
        out.write(bytes(999));
        StreamStateHandle handle = out.closeAndGetHandle();
        assertThat(handle).isInstanceOf(ByteStreamStateHandle.class);
        assertThat(read(handle)).isEqualTo(bytes(999));
        assertThat(directory.resolve("chk-1")).doesNotExist();
    }

    @Test
    void largerStreamsBecomeVerifiedFilesInTheirScopeDirectory() throws IOException {
        for (StateScope scope : StateScope.values()) {
            CheckpointStateOutputStream out = factory(1000).createOutputStream(scope);
            byte[] data = bytes(12_345);
            for (int i = 0; i < data.length; i += 77) {
                out.write(data, i, Math.min(77, data.length - i));
            }
            out.write(7);
            assertThat(out.getPos()).isEqualTo(12_346);
            FileStateHandle handle = (FileStateHandle) out.closeAndGetHandle();
            assertThat(handle.getScope()).isEqualTo(scope);
            assertThat(handle.getStateSize()).isEqualTo(12_346);
            assertThat(handle.getPath().getParent().getName())
                    .isEqualTo(scope == StateScope.SHARED ? "shared" : "chk-1");
            handle.verify();
            byte[] expected = java.util.Arrays.copyOf(data, 12_346);
            expected[12_345] = 7;
            assertThat(read(handle)).isEqualTo(expected);
        }
    }

    @Test
    void closingWithoutAHandleDeletesThePartialFile() throws IOException {
        CheckpointStateOutputStream out = factory(0).createOutputStream(StateScope.EXCLUSIVE);
        out.write(bytes(5000));
        out.close();
        try (Stream<Path> files = Files.list(directory.resolve("chk-1"))) {
            assertThat(files).isEmpty();
        }
    }
}

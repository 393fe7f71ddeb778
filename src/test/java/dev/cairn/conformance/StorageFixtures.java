package dev.cairn.conformance;

import dev.cairn.checkpoint.CheckpointStorage;
import dev.cairn.checkpoint.CheckpointStorageAccess;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.JobManagerCheckpointStorage;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.s3.S3TestServer;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Fixtures that run the conformance suite with snapshots written through a real checkpoint storage. */
public final class StorageFixtures {
    private StorageFixtures() {}

    /**
     * Snapshots go to files of a {@link FileSystemCheckpointStorage} under {@code target/} (inline threshold 0,
     * so every snapshot is a file read back from disk).
     */
    public static BackendFixture fileSystem(Supplier<StateBackend> backend) {
        Path directory =
                Path.of("target", "conformance-storage", UUID.randomUUID().toString());
        return withStorage(backend, new FileSystemCheckpointStorage(directory.toString(), null, 0, 4096, true));
    }

    /**
     * Snapshots go to objects of a {@link FileSystemCheckpointStorage} on the S3 test server, under a fresh prefix
     * of a shared bucket (inline threshold 0: every snapshot is an object read back with ranged GETs). Skips the
     * test when no S3 server runs.
     */
    public static BackendFixture s3(Supplier<StateBackend> backend) {
        FileSystemRegistry fileSystems = S3TestServer.fileSystems();
        String directory = "s3://" + S3TestServer.sharedBucket() + "/conformance/" + UUID.randomUUID();
        return withStorage(backend, new FileSystemCheckpointStorage(fileSystems, directory, null, 0, 4096, true));
    }

    /** Snapshots are held in memory by a {@link JobManagerCheckpointStorage} (64 MB limit). */
    public static BackendFixture jobManager(Supplier<StateBackend> backend) {
        return withStorage(backend, new JobManagerCheckpointStorage(64 * 1024 * 1024));
    }

    private static BackendFixture withStorage(Supplier<StateBackend> backend, CheckpointStorage storage) {
        CheckpointStorageAccess access;
        try {
            access = storage.createAccess("conformance");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicLong checkpointIds = new AtomicLong();
        return new BackendFixture() {
            @Override
            public StateBackend createStateBackend() {
                return backend.get();
            }

            @Override
            public CheckpointStreamFactory createStreamFactory() {
                try {
                    return access.initializeCheckpoint(checkpointIds.incrementAndGet(), StreamWriteListener.NONE)
                            .getStreamFactory();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}

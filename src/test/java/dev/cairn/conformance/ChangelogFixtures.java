package dev.cairn.conformance;

import dev.cairn.changelog.ChangelogStateBackend;
import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.changelog.InMemoryStateChangelogStorage;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.changelog.internal.BatchingUploader;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.StateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/** Backends wrapped in the changelog backend, with in-memory or file-system changelog storage. */
public final class ChangelogFixtures {
    private ChangelogFixtures() {}

    /** Shared by all tests (its upload threads live as long as the test JVM). */
    private static final StateChangelogStorage FILE_SYSTEM = fileSystemStorage(
            FileSystemRegistry.withDefaults(),
            StoragePath.fromLocal(
                    Path.of("target", "changelog-storage", UUID.randomUUID().toString())
                            .toAbsolutePath()));

    /**
     * A file-system changelog storage under {@code basePath}, written through {@code fileSystems}, that uploads
     * almost at once (1 ms batching).
     */
    public static StateChangelogStorage fileSystemStorage(FileSystemRegistry fileSystems, StoragePath basePath) {
        return new FsStateChangelogStorage(
                fileSystems,
                basePath,
                new BatchingUploader.Settings(
                        Duration.ofMillis(1), 1 << 20, 64 << 20, 3, Duration.ofSeconds(10), Duration.ofMillis(10), 2),
                4096);
    }

    /** Materializes at nearly every checkpoint: exercises materialization, truncation and materialized restores. */
    public static BackendFixture inMemory(Supplier<StateBackend> inner) {
        return () -> new ChangelogStateBackend(
                inner.get(),
                new InMemoryStateChangelogStorage(),
                new ChangelogStateBackend.Settings(true, Duration.ofMillis(1), 3, 1 << 20));
    }

    /**
     * No periodic materialization (only the one after each restore), tiny pre-emptive threshold: exercises long
     * changelogs, pre-emptive uploads and batching into shared files.
     */
    public static BackendFixture onFileSystem(Supplier<StateBackend> inner) {
        return () -> new ChangelogStateBackend(
                inner.get(), FILE_SYSTEM, new ChangelogStateBackend.Settings(false, Duration.ofMinutes(10), 3, 512));
    }
}

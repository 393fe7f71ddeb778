package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.StateBackendException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Working directories of RocksDB instances: {@code <localdir>/cairn-rocksdb-<pid>-<uuid>}, spread round-robin over
 * the configured directories. A directory whose process is gone is a crashed run's leftover and is deleted the
 * next time an instance starts in the same local directory.
 */
final class LocalDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectories.class);
    private static final String PREFIX = "cairn-rocksdb-";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private LocalDirectories() {}

    static Path create(List<Path> localDirectories, String operatorIdentifier) {
        Path base = localDirectories.get(Math.floorMod(NEXT.getAndIncrement(), localDirectories.size()));
        try {
            Files.createDirectories(base);
            deleteLeftovers(base);
            String safeName = operatorIdentifier.replaceAll("[^A-Za-z0-9._-]", "_");
            Path directory =
                    base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID() + "-" + safeName);
            Files.createDirectories(directory);
            return directory;
        } catch (IOException e) {
            throw new StateBackendException(
                    "Cannot create a RocksDB working directory in " + base + " (state.backend.rocksdb.localdir): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void deleteLeftovers(Path base) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path entry : entries) {
                String rest = entry.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                try {
                    long pid = Long.parseLong(rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        continue;
                    }
                } catch (NumberFormatException e) {
                    continue;
                }
                LOG.info("Deleting RocksDB working directory {} left by a process that is gone", entry);
                delete(entry);
            }
        }
    }

    /** Deletes {@code directory} recursively; files that vanish meanwhile (a snapshot cleaning up) are fine. */
    static void delete(Path directory) {
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("Could not delete RocksDB working directory {}", directory, e);
        }
    }
}

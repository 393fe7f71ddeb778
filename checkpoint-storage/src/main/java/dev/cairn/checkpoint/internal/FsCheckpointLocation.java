package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.CheckpointMetadata;
import dev.cairn.checkpoint.CheckpointStorageLocation;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.StreamWriteListener;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.CheckpointStreamFactory;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint or savepoint directory. Completing writes {@code _metadata.inprogress}, fsyncs it and renames it
 * atomically to {@code _metadata}: a crash at any point leaves either no metadata (no checkpoint) or the whole
 * file.
 */
public final class FsCheckpointLocation implements CheckpointStorageLocation {
    public static final String METADATA_FILE = "_metadata";
    private static final String TEMPORARY_METADATA_FILE = "_metadata.inprogress";
    private static final Logger LOG = LoggerFactory.getLogger(FsCheckpointLocation.class);

    private final FileSystem fileSystem;
    private final MetadataJson.Directories directories;
    private final FsCheckpointStreamFactory streamFactory;
    private volatile boolean wroteTemporaryMetadata;

    public FsCheckpointLocation(
            FileSystem fileSystem,
            StoragePath directory,
            StoragePath sharedDirectory,
            int writeBufferSize,
            int inlineThreshold,
            StreamWriteListener listener) {
        this.fileSystem = fileSystem;
        this.directories = new MetadataJson.Directories(directory, sharedDirectory);
        this.streamFactory = new FsCheckpointStreamFactory(
                fileSystem, directory, sharedDirectory, writeBufferSize, inlineThreshold, listener);
    }

    @Override
    public CheckpointStreamFactory getStreamFactory() {
        return streamFactory;
    }

    @Override
    public CompletedCheckpoint complete(CheckpointMetadata metadata) throws IOException {
        byte[] json = MetadataJson.write(metadata, directories);
        StoragePath target = directories.checkpoint().resolve(METADATA_FILE);
        if (fileSystem.supportsAtomicRename()) {
            StoragePath temporary = directories.checkpoint().resolve(TEMPORARY_METADATA_FILE);
            fileSystem.delete(temporary, false);
            wroteTemporaryMetadata = true;
            try (FileSystem.DurableOutputStream out = fileSystem.create(temporary)) {
                out.write(json);
                out.sync();
            }
            fileSystem.rename(temporary, target);
        } else {
            // Object stores: an object appears whole or not at all, and creation refuses to overwrite, so the
            // metadata is written in place, last.
            try (FileSystem.DurableOutputStream out = fileSystem.create(target)) {
                out.write(json);
                out.sync();
            }
        }
        return new CompletedCheckpoint(
                metadata,
                fileSystem,
                directories.checkpoint(),
                directories.checkpoint().toString());
    }

    /**
     * Deletes what this checkpoint wrote — its files, its temporary metadata — and then its directory if nothing
     * else is in it. Never the whole directory: should another process have written there (one that took the
     * directory's lease over from this one), its files stay.
     */
    @Override
    public void abort() {
        StoragePath directory = directories.checkpoint();
        try {
            java.util.List<StoragePath> written = new java.util.ArrayList<>(streamFactory.createdExclusiveFiles());
            if (wroteTemporaryMetadata) {
                written.add(directory.resolve(TEMPORARY_METADATA_FILE));
            }
            fileSystem.deleteAll(written);
            if (fileSystem.list(directory).isEmpty()) {
                fileSystem.delete(directory, false);
            } else {
                LOG.warn("Aborted checkpoint directory {} holds files it did not write; they stay", directory);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete the files of an aborted checkpoint in {}", directory, e);
        }
    }

    @Override
    public String pointer() {
        return directories.checkpoint().toString();
    }

    /**
     * Reads a completed checkpoint from its directory; shared files are resolved against {@code sharedDirectory},
     * and changelog files must lie under one of {@code changelogDirectories}.
     *
     * @throws dev.cairn.state.CorruptCheckpointException naming the metadata file when it is missing or invalid, or
     *     its checkpoint id is not the one its directory is named after
     */
    public static CompletedCheckpoint read(
            FileSystemRegistry fileSystems,
            StoragePath directory,
            StoragePath sharedDirectory,
            java.util.List<StoragePath> changelogDirectories)
            throws IOException {
        FileSystem fileSystem = fileSystems.get(directory);
        StoragePath metadataPath = directory.resolve(METADATA_FILE);
        if (!fileSystem.exists(metadataPath)) {
            throw new dev.cairn.state.CorruptCheckpointException(
                    "No " + METADATA_FILE + " in " + directory + ": not a completed checkpoint or savepoint");
        }
        byte[] json;
        try (var in = fileSystem.open(metadataPath)) {
            json = in.readAllBytes();
        }
        CheckpointMetadata metadata = MetadataJson.read(
                json,
                new MetadataJson.Directories(directory, sharedDirectory, changelogDirectories),
                metadataPath.toString(),
                fileSystems);
        Long named = idNamedBy(directory.getName());
        if (named != null && named != metadata.checkpointId()) {
            throw new dev.cairn.state.CorruptCheckpointException(metadataPath + " records checkpoint "
                    + metadata.checkpointId() + ", but its directory is named after checkpoint " + named);
        }
        return new CompletedCheckpoint(metadata, fileSystem, directory, directory.toString());
    }

    /**
     * Reads the checkpoint or savepoint a pointer names: its directory or its {@code _metadata} file. Shared files
     * are resolved against the {@code shared} directory beside it.
     */
    public static CompletedCheckpoint resolve(
            FileSystemRegistry fileSystems, String pointer, java.util.List<StoragePath> changelogDirectories)
            throws IOException {
        StoragePath path = StoragePath.of(pointer);
        if (path.getName().equals(METADATA_FILE)) {
            path = path.getParent();
        }
        StoragePath parent = path.getParent();
        StoragePath shared = parent == null ? path : parent.resolve("shared");
        return read(fileSystems, path, shared, changelogDirectories);
    }

    /** The directory of checkpoint {@code n} is {@code chk-<n>}. */
    public static final java.util.regex.Pattern CHECKPOINT_NAME = java.util.regex.Pattern.compile("chk-(\\d+)");

    private static final java.util.regex.Pattern SAVEPOINT_NAME =
            java.util.regex.Pattern.compile("savepoint-.*-(\\d+)-[0-9a-f]{8}");

    /** The name of checkpoint {@code checkpointId}'s directory. */
    public static String checkpointDirectoryName(long checkpointId) {
        return "chk-" + checkpointId;
    }

    /** The checkpoint id in a directory name written by this storage ({@code chk-7}, {@code savepoint-job-7-1a2b3c4d}). */
    public static Long idNamedBy(String name) {
        for (java.util.regex.Pattern pattern : java.util.List.of(CHECKPOINT_NAME, SAVEPOINT_NAME)) {
            java.util.regex.Matcher matcher = pattern.matcher(name);
            if (matcher.matches()) {
                try {
                    return Long.parseLong(matcher.group(1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}

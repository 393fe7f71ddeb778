package dev.cairn.processor;

import dev.cairn.changelog.FsStateChangelogStorage;
import dev.cairn.checkpoint.CheckpointScan;
import dev.cairn.checkpoint.CheckpointStorageAccess;
import dev.cairn.checkpoint.CheckpointingOptions;
import dev.cairn.checkpoint.CompletedCheckpoint;
import dev.cairn.checkpoint.FileStateHandle;
import dev.cairn.checkpoint.FileSystemCheckpointStorage;
import dev.cairn.checkpoint.OwnershipLease;
import dev.cairn.checkpoint.fs.FileSystem;
import dev.cairn.checkpoint.fs.FileSystemRegistry;
import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.ReadableConfig;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds and deletes what crashes leave in a job's checkpoint directory: files no retained (completed) checkpoint
 * references — uploads of incremental checkpoints in {@code shared/} and {@code taskowned/} that never completed,
 * and the directories of checkpoints that never wrote their {@code _metadata}.
 *
 * <p>Safety: it takes the directory's ownership lease first, so it fails (naming the owner) while a job still
 * checkpoints there; it deletes nothing while any checkpoint's {@code _metadata} cannot be read (its files cannot be
 * told apart from garbage); it never deletes a file a completed checkpoint references, nor {@code _metadata} files,
 * nor the lease.
 *
 * <p>Changelog files: when the settings name the changelog's base path ({@code state.changelog.dstl.dfs.base-path}),
 * the job's changelog directory — {@code <base-path>/<job>}, {@code <job>} being the name of the job's checkpoint
 * directory, as {@code StateEnvironment} lays it out — is collected too: segments and materializations (in its
 * {@code materialized/}) that no completed checkpoint references. Other jobs' directories under the base path, and
 * files directly in it, are never touched.
 */
public final class CheckpointGarbage {
    private static final Pattern CHECKPOINT_DIRECTORY = Pattern.compile("chk-\\d+");
    private static final String METADATA = "_metadata";
    private static final String LEASE = "_lease";

    private CheckpointGarbage() {}

    /**
     * One file no retained checkpoint references.
     *
     * @param path the file
     * @param size its size in bytes
     * @param reason why it is garbage
     */
    public record Garbage(String path, long size, String reason) {}

    /**
     * Lists the garbage of a job's checkpoint directory, deleting it when asked.
     *
     * @param jobDirectory the directory holding the job's {@code chk-*}, {@code shared/} and {@code taskowned/}
     * @param config settings of the file systems, and the changelog's base path if the job's changelog files are
     *     to be collected too
     * @param delete whether to delete what is found (else a dry run)
     * @return the garbage found (and deleted, if asked)
     * @throws IOException when listing or deleting fails
     * @throws IllegalArgumentException when the directory is not a job's checkpoint directory
     * @throws dev.cairn.checkpoint.CheckpointOwnershipException while a live process owns the directory
     * @throws dev.cairn.state.CorruptCheckpointException when a checkpoint's metadata cannot be read
     */
    public static List<Garbage> collect(String jobDirectory, ReadableConfig config, boolean delete) throws IOException {
        StoragePath root = StoragePath.of(jobDirectory);
        try (FileSystemCheckpointStorage storage = new FileSystemCheckpointStorage(
                new FileSystemRegistry(config),
                jobDirectory,
                null,
                0,
                CheckpointingOptions.FS_WRITE_BUFFER_SIZE.defaultValue(),
                false)) {
            FileSystem fileSystem = storage.getFileSystems().get(root);
            checkIsJobDirectory(fileSystem, root);
            Optional<StoragePath> changelogDirectory =
                    Checkpoints.acceptConfiguredChangelog(storage, config).map(base -> base.resolve(root.getName()));
            CheckpointStorageAccess access = storage.createAccess("gc");
            try (OwnershipLease lease = access.acquireOwnership(
                    config.get(CheckpointingOptions.OWNERSHIP_LEASE_TIMEOUT), Clock.systemUTC())) {
                CheckpointScan scan = access.scanCheckpoints();
                if (!scan.unreadable().isEmpty()) {
                    CheckpointScan.Unreadable first = scan.unreadable().get(0);
                    throw new IllegalArgumentException("Checkpoint " + first.checkpointId() + " (" + first.pointer()
                            + ") cannot be read: " + first.error().getMessage()
                            + "; nothing is collected while a checkpoint's files cannot be told apart from garbage");
                }
                Set<StoragePath> referenced = new HashSet<>();
                Set<StoragePath> completedDirectories = new HashSet<>();
                for (CompletedCheckpoint checkpoint : scan.completed()) {
                    for (FileStateHandle file : checkpoint.files()) {
                        referenced.add(file.getPath());
                    }
                    checkpoint.getDirectory().ifPresent(completedDirectories::add);
                }
                List<Garbage> garbage = new ArrayList<>();
                List<StoragePath> failedCheckpoints = new ArrayList<>();
                for (FileSystem.FileStatus entry : fileSystem.list(root)) {
                    String name = entry.path().getName();
                    if (!entry.isDirectory() || name.equals(LEASE)) {
                        continue;
                    }
                    if (CHECKPOINT_DIRECTORY.matcher(name).matches()) {
                        boolean completed = completedDirectories.contains(entry.path());
                        if (!completed) {
                            failedCheckpoints.add(entry.path());
                        }
                        collectFiles(
                                fileSystem,
                                entry.path(),
                                referenced,
                                completed ? "not referenced by its checkpoint" : "checkpoint never completed",
                                garbage);
                    } else if (name.equals("shared") || name.equals("taskowned")) {
                        collectFiles(
                                fileSystem, entry.path(), referenced, "no retained checkpoint references it", garbage);
                    }
                }
                List<StoragePath> checkpointGarbage = new ArrayList<>();
                garbage.forEach(file -> checkpointGarbage.add(StoragePath.of(file.path())));
                List<StoragePath> changelogGarbage = new ArrayList<>();
                if (changelogDirectory.isPresent()) {
                    // Under the lease nothing writes the job's changelog: no time limit is needed.
                    for (FileSystem.FileStatus file : FsStateChangelogStorage.unreferencedFiles(
                            storage.getFileSystems().get(changelogDirectory.get()),
                            changelogDirectory.get(),
                            referenced,
                            Long.MAX_VALUE)) {
                        garbage.add(new Garbage(
                                file.path().toString(),
                                file.size(),
                                "changelog file no retained checkpoint references"));
                        changelogGarbage.add(file.path());
                    }
                }
                if (delete) {
                    lease.checkOwned();
                    fileSystem.deleteAll(checkpointGarbage);
                    if (!changelogGarbage.isEmpty()) {
                        storage.getFileSystems().get(changelogDirectory.get()).deleteAll(changelogGarbage);
                    }
                    for (StoragePath failed : failedCheckpoints) {
                        fileSystem.delete(failed, true);
                    }
                }
                return garbage;
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("Cannot release the ownership lease of " + jobDirectory, e);
            }
        }
    }

    private static void checkIsJobDirectory(FileSystem fileSystem, StoragePath root) throws IOException {
        if (!fileSystem.exists(root)) {
            throw new IllegalArgumentException("No such directory: " + root);
        }
        for (FileSystem.FileStatus entry : fileSystem.list(root)) {
            String name = entry.path().getName();
            if (entry.isDirectory()
                    && (name.equals("shared")
                            || name.equals(LEASE)
                            || CHECKPOINT_DIRECTORY.matcher(name).matches())) {
                return;
            }
        }
        throw new IllegalArgumentException(root + " is not a job's checkpoint directory (no chk-*, shared/ or _lease/"
                + " in it); pass the directory that holds them, e.g. <execution.checkpointing.dir>/<job>");
    }

    private static void collectFiles(
            FileSystem fileSystem, StoragePath directory, Set<StoragePath> referenced, String reason, List<Garbage> out)
            throws IOException {
        for (FileSystem.FileStatus entry : fileSystem.list(directory)) {
            if (entry.isDirectory()) {
                collectFiles(fileSystem, entry.path(), referenced, reason, out);
            } else if (!referenced.contains(entry.path())
                    && !entry.path().getName().equals(METADATA)) {
                out.add(new Garbage(entry.path().toString(), entry.size(), reason));
            }
        }
    }
}

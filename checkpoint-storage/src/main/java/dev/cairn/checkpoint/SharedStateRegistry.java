package dev.cairn.checkpoint;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts how many retained checkpoints reference each shared file (incremental files, and the changelog backend's
 * segments and materialized snapshots) and deletes a file only when no retained
 * checkpoint uses it any more — and no checkpoint that was already running could still reference it. Rebuilt from
 * the retained checkpoints' metadata after a restart.
 *
 * <p><b>Why deletion waits.</b> A backend's incremental checkpoint reuses the files of its last <em>completed</em>
 * checkpoint. With concurrent checkpoints, that checkpoint can be subsumed while a later one that reuses its files
 * is still uploading. So a file whose count drops to zero is only <em>released</em>, remembering the highest
 * checkpoint id triggered at that moment; a completing checkpoint that references it takes it back, and it is
 * deleted once every checkpoint up to that id has completed or failed ({@link #deleteReleased}). Without
 * concurrent checkpoints that is immediately.
 */
public final class SharedStateRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStateRegistry.class);

    private record Released(FileStateHandle file, long highestTriggeredCheckpointId) {}

    private final Map<StoragePath, Integer> references = new HashMap<>();
    private final Map<StoragePath, Released> released = new HashMap<>();
    /** The bytes of the files in {@link #references}. */
    private long referencedBytes;

    /**
     * Counts the shared files of a checkpoint that is now retained (taking back released ones it uses).
     *
     * @param checkpoint the retained checkpoint
     */
    public synchronized void register(CompletedCheckpoint checkpoint) {
        for (FileStateHandle file : checkpoint.files()) {
            if (file.getScope() != StateScope.EXCLUSIVE) {
                if (references.merge(file.getPath(), 1, Integer::sum) == 1) {
                    referencedBytes += file.getStateSize();
                }
                released.remove(file.getPath());
            }
        }
    }

    /**
     * Releases a subsumed checkpoint's shared files; those no retained checkpoint references are deleted once no
     * checkpoint triggered up to {@code highestTriggeredCheckpointId} is running any more.
     *
     * @param checkpoint the subsumed checkpoint
     * @param highestTriggeredCheckpointId the highest checkpoint id triggered so far
     */
    public synchronized void unregister(CompletedCheckpoint checkpoint, long highestTriggeredCheckpointId) {
        for (FileStateHandle file : checkpoint.files()) {
            if (file.getScope() == StateScope.EXCLUSIVE) {
                continue;
            }
            boolean wasReferenced = references.containsKey(file.getPath());
            Integer remaining =
                    references.computeIfPresent(file.getPath(), (path, count) -> count == 1 ? null : count - 1);
            if (remaining == null) {
                if (wasReferenced) {
                    referencedBytes -= file.getStateSize();
                }
                released.put(file.getPath(), new Released(file, highestTriggeredCheckpointId));
            }
        }
    }

    /**
     * Releases a subsumed checkpoint's shared files and deletes the unreferenced ones at once (nothing running).
     *
     * @param checkpoint the subsumed checkpoint
     */
    public synchronized void unregister(CompletedCheckpoint checkpoint) {
        unregister(checkpoint, Long.MIN_VALUE);
        deleteReleased(Long.MAX_VALUE);
    }

    /**
     * Deletes the released files that no checkpoint still running can reference: those released while only
     * checkpoints below {@code lowestRunningCheckpointId} had been triggered ({@code Long.MAX_VALUE} when none runs).
     *
     * @param lowestRunningCheckpointId the lowest id of a running checkpoint
     */
    public synchronized void deleteReleased(long lowestRunningCheckpointId) {
        List<FileStateHandle> deletable = new ArrayList<>();
        for (Iterator<Released> it = released.values().iterator(); it.hasNext(); ) {
            Released entry = it.next();
            if (entry.highestTriggeredCheckpointId() < lowestRunningCheckpointId) {
                it.remove();
                deletable.add(entry.file());
            }
        }
        deleteAll(deletable, "unreferenced shared files");
    }

    /**
     * Deletes the shared files of a failed checkpoint's handles that no retained checkpoint references and that
     * are not waiting for running checkpoints: the files the failed checkpoint uploaded itself. Files it reused
     * from retained checkpoints are counted and stay.
     *
     * @param streams the failed checkpoint's streams
     */
    public synchronized void discardUnregistered(List<StreamStateHandle> streams) {
        List<FileStateHandle> deletable = new ArrayList<>();
        for (StreamStateHandle stream : streams) {
            if (stream instanceof FileStateHandle file
                    && file.getScope() == StateScope.SHARED
                    && !references.containsKey(file.getPath())
                    && !released.containsKey(file.getPath())) {
                deletable.add(file);
            }
        }
        deleteAll(deletable, "shared files of a failed checkpoint");
    }

    private static void deleteAll(List<FileStateHandle> files, String what) {
        if (files.isEmpty()) {
            return;
        }
        try {
            FileStateHandle.discardAll(files);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Could not delete all {} ({} files, first {})",
                    what,
                    files.size(),
                    files.get(0).getPath(),
                    e);
        }
    }

    /** {@return how many shared files the retained checkpoints reference} */
    public synchronized int referencedFileCount() {
        return references.size();
    }

    /** {@return the bytes of the shared files the retained checkpoints reference} */
    public synchronized long referencedBytes() {
        return referencedBytes;
    }

    /** {@return the shared files the retained checkpoints reference} */
    public synchronized Set<StoragePath> referencedFiles() {
        return Set.copyOf(references.keySet());
    }

    /**
     * Shared files no retained checkpoint references that wait for running checkpoints before deletion.
     *
     * @return the released files
     */
    public synchronized Set<StoragePath> releasedFiles() {
        return Set.copyOf(released.keySet());
    }

    /**
     * {@return how many retained checkpoints reference {@code path}}
     *
     * @param path a shared file
     */
    public synchronized int referenceCount(StoragePath path) {
        return references.getOrDefault(path, 0);
    }
}

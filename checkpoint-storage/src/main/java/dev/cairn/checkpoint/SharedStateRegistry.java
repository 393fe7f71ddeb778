package dev.cairn.checkpoint;

import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts how many retained checkpoints reference each shared file and deletes a file only when no retained
 * checkpoint uses it any more. Rebuilt from the retained checkpoints' metadata after a restart.
 */
public final class SharedStateRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStateRegistry.class);
    private final Map<StoragePath, Integer> references = new HashMap<>();

    /** Counts the shared files of a checkpoint that is now retained. */
    public synchronized void register(CompletedCheckpoint checkpoint) {
        for (FileStateHandle file : checkpoint.files()) {
            if (file.getScope() == StateScope.SHARED) {
                references.merge(file.getPath(), 1, Integer::sum);
            }
        }
    }

    /** Releases a checkpoint's shared files; deletes those no other retained checkpoint references. */
    public synchronized void unregister(CompletedCheckpoint checkpoint) {
        for (FileStateHandle file : checkpoint.files()) {
            if (file.getScope() != StateScope.SHARED) {
                continue;
            }
            Integer remaining =
                    references.computeIfPresent(file.getPath(), (path, count) -> count == 1 ? null : count - 1);
            if (remaining == null) {
                try {
                    file.discardState();
                } catch (IOException e) {
                    LOG.warn("Could not delete unreferenced shared file {}", file.getPath(), e);
                }
            }
        }
    }

    /**
     * Deletes the shared files of a failed checkpoint's handles that no retained checkpoint references: the files
     * the failed checkpoint uploaded itself. Files it reused from retained checkpoints are counted and stay.
     */
    public synchronized void discardUnregistered(List<StreamStateHandle> streams) {
        for (StreamStateHandle stream : streams) {
            if (stream instanceof FileStateHandle file
                    && file.getScope() == StateScope.SHARED
                    && !references.containsKey(file.getPath())) {
                try {
                    file.discardState();
                } catch (IOException e) {
                    LOG.warn("Could not delete shared file {} of a failed checkpoint", file.getPath(), e);
                }
            }
        }
    }

    /** The shared files the retained checkpoints reference. */
    public synchronized java.util.Set<StoragePath> referencedFiles() {
        return java.util.Set.copyOf(references.keySet());
    }

    /** How many retained checkpoints reference {@code path}. */
    public synchronized int referenceCount(StoragePath path) {
        return references.getOrDefault(path, 0);
    }
}

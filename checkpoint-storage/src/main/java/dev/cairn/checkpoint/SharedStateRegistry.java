package dev.cairn.checkpoint;

import dev.cairn.state.spi.StateScope;
import java.io.IOException;
import java.util.HashMap;
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

    /** How many retained checkpoints reference {@code path}. */
    public synchronized int referenceCount(StoragePath path) {
        return references.getOrDefault(path, 0);
    }
}

package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.state.CheckpointException;
import dev.cairn.state.StateMigrationException;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The restore of a changelog backend's wrapped state: the wrapped backend restores the materialized parts, then the
 * changes recorded after them are replayed into it. Used when the changelog stays on and when it is switched off
 * (the wrapped backend then runs alone).
 */
public final class ChangelogRestoreOperation {
    private ChangelogRestoreOperation() {}

    /**
     * Creates {@code delegate}'s keyed backend restored from {@code handles}: changelog handles contribute their
     * materialized parts and then their changes, other handles are restored as they are.
     *
     * @param delegate the wrapped backend
     * @param parameters the keyed backend's parameters
     * @param handles what to restore
     * @param <K> the key type
     * @return the restored backend, with every change replayed
     * @throws CheckpointException if the replay fails
     */
    public static <K> CheckpointableKeyedStateBackend<K> restoreAndReplay(
            StateBackend delegate, KeyedBackendParameters<K> parameters, List<KeyedStateHandle> handles) {
        List<KeyedStateHandle> materialized = new ArrayList<>();
        List<ChangelogStateBackendHandle> changelogs = new ArrayList<>();
        for (KeyedStateHandle handle : handles) {
            if (handle instanceof ChangelogStateBackendHandle changelog) {
                if (changelog.getIntersection(parameters.getKeyGroupRange()) != null) {
                    materialized.addAll(changelog.materialized());
                    changelogs.add(changelog);
                }
            } else {
                materialized.add(handle);
            }
        }
        CheckpointableKeyedStateBackend<K> inner =
                delegate.createKeyedStateBackend(parameters.withRestoreHandles(materialized));
        if (changelogs.isEmpty()) {
            return inner;
        }
        try {
            replay(inner, changelogs, parameters.getClassLoader());
            return inner;
        } catch (IOException | RuntimeException e) {
            inner.close();
            if (e instanceof CheckpointException || e instanceof StateMigrationException) {
                throw (RuntimeException) e;
            }
            throw new CheckpointException(
                    CheckpointException.Reason.RESTORE_FAILED,
                    "Replaying the changelog of '" + parameters.getOperatorIdentifier() + "' failed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Replays changelog handles into a restored backend.
     *
     * @param backend the restored wrapped backend
     * @param handles the changelog handles whose changes to apply, in order
     * @param loader the class loader of the application's serializers
     * @param <K> the key type
     * @return the replay, which knows the states it touched
     * @throws IOException if a change file cannot be read
     */
    public static <K> ChangelogReplay<K> replay(
            CheckpointableKeyedStateBackend<K> backend, List<ChangelogStateBackendHandle> handles, ClassLoader loader)
            throws IOException {
        ChangelogReplay<K> replay = new ChangelogReplay<>(backend, loader);
        replay.replay(handles);
        return replay;
    }
}

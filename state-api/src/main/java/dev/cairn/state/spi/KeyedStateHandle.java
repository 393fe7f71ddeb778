package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.io.IOException;
import java.util.List;

/** An immutable description of one keyed backend's snapshot: which key groups, where the bytes are. */
public interface KeyedStateHandle {
    /**
     * The key groups this handle holds.
     *
     * @return the range
     */
    KeyGroupRange getKeyGroupRange();

    /**
     * The handle restricted to {@code range}.
     *
     * @param range the key groups a restoring backend owns
     * @return the part of this handle for them (possibly this handle whole, when it cannot be cut), or {@code null}
     *     when they do not overlap
     */
    KeyedStateHandle getIntersection(KeyGroupRange range);

    /**
     * The number of bytes the snapshot takes in storage: by default, the sizes of {@link #getStreams()}.
     *
     * @return the size in bytes
     */
    default long getStateSize() {
        long size = 0;
        for (StreamStateHandle stream : getStreams()) {
            size += stream.getStateSize();
        }
        return size;
    }

    /**
     * The number of bytes this snapshot added to storage: the same as {@link #getStateSize()} unless the handle
     * reuses files uploaded by earlier snapshots (incremental checkpoints), in which case only the new files count.
     *
     * @return the size in bytes
     */
    default long getCheckpointedSize() {
        return getStateSize();
    }

    /**
     * Every stream the handle references, including shared ones; used to verify, count and release files.
     *
     * @return the streams
     */
    List<StreamStateHandle> getStreams();

    /**
     * Deletes the bytes this snapshot owns exclusively. Streams written with {@link StateScope#SHARED} may be
     * referenced by later snapshots; releasing them is the checkpoint coordinator's (reference-counting) business.
     *
     * @throws IOException if deleting failed
     */
    void discardState() throws IOException;
}

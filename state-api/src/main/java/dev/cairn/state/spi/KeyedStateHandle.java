package dev.cairn.state.spi;

import dev.cairn.state.KeyGroupRange;
import java.io.IOException;

/** An immutable description of one keyed backend's snapshot: which key groups, where the bytes are. */
public interface KeyedStateHandle {
    /** The key groups this handle holds. */
    KeyGroupRange getKeyGroupRange();

    /** The handle restricted to {@code range}, or {@code null} when they do not overlap. */
    KeyedStateHandle getIntersection(KeyGroupRange range);

    /** The number of bytes the snapshot takes in storage. */
    long getStateSize();

    /** Deletes the snapshot's bytes. */
    void discardState() throws IOException;
}

package dev.cairn.changelog.internal;

import dev.cairn.state.support.DataOutputSerializer;

/** What a state wrapper needs from its changelog backend to record a change of the current key. */
public interface ChangeContext {
    ChangelogWriter writer();

    /** The key group of the current key. */
    int currentKeyGroup();

    /**
     * The current key, serialized once per key into a buffer the context reuses: read its shared buffer up to its
     * length, and do not keep it.
     */
    DataOutputSerializer currentKey();
}

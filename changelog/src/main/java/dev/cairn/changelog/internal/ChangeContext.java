package dev.cairn.changelog.internal;

/** What a state wrapper needs from its changelog backend to record a change of the current key. */
public interface ChangeContext {
    ChangelogWriter writer();

    /** The key group of the current key. */
    int currentKeyGroup();

    /** The current key, serialized (computed once per key). */
    byte[] currentKeyBytes();
}

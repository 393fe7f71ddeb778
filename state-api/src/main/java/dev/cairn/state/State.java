package dev.cairn.state;

/**
 * A piece of keyed state. Every access reads or writes the value of the backend's <em>current key</em> in the
 * state's current namespace.
 */
public interface State {
    /** Removes the value of the current key and namespace. */
    void clear();
}

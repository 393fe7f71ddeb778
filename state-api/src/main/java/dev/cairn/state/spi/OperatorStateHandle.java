package dev.cairn.state.spi;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * One operator instance's snapshot of operator state: a stream and, per state, its distribution mode, the offset
 * of its section and its element count (so a restore can plan the redistribution before reading).
 */
public final class OperatorStateHandle {
    /** How a state is redistributed on restore. */
    public enum Mode {
        /** List elements of all instances are concatenated and split evenly over the new instances. */
        SPLIT_DISTRIBUTE,
        /** Every new instance gets all elements of all instances. */
        UNION,
        /** Every new instance gets one old instance's copy of the map. */
        BROADCAST
    }

    /**
     * Where one state is in the stream.
     *
     * @param mode its redistribution mode
     * @param offset the start of its section
     * @param count its number of elements (list elements or map entries)
     */
    public record StateInfo(Mode mode, long offset, int count) {}

    private final StreamStateHandle stream;
    private final Map<String, StateInfo> states;

    /**
     * A snapshot of operator state.
     *
     * @param stream the bytes
     * @param states where each state is in the stream, by name
     */
    public OperatorStateHandle(StreamStateHandle stream, Map<String, StateInfo> states) {
        this.stream = Objects.requireNonNull(stream);
        this.states = Map.copyOf(states);
    }

    /**
     * The bytes of all states.
     *
     * @return the stream
     */
    public StreamStateHandle getStream() {
        return stream;
    }

    /**
     * The states in this snapshot by name.
     *
     * @return where each state is in the stream
     */
    public Map<String, StateInfo> getStates() {
        return states;
    }

    /**
     * The number of bytes the snapshot takes in storage.
     *
     * @return the stream's size
     */
    public long getStateSize() {
        return stream.getStateSize();
    }

    /**
     * Deletes the snapshot's bytes.
     *
     * @throws IOException if deleting failed
     */
    public void discardState() throws IOException {
        stream.discardState();
    }

    @Override
    public String toString() {
        return "OperatorStateHandle{" + states.keySet() + ", " + stream.describe() + "}";
    }
}

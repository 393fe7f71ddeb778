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
        SPLIT_DISTRIBUTE,
        UNION,
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

    public OperatorStateHandle(StreamStateHandle stream, Map<String, StateInfo> states) {
        this.stream = Objects.requireNonNull(stream);
        this.states = Map.copyOf(states);
    }

    public StreamStateHandle getStream() {
        return stream;
    }

    /** The states in this snapshot by name. */
    public Map<String, StateInfo> getStates() {
        return states;
    }

    public long getStateSize() {
        return stream.getStateSize();
    }

    public void discardState() throws IOException {
        stream.discardState();
    }

    @Override
    public String toString() {
        return "OperatorStateHandle{" + states.keySet() + ", " + stream.describe() + "}";
    }
}

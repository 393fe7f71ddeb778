package dev.cairn.state;

/** Root of every exception Cairn throws for a state, configuration or checkpoint problem. */
public class StateBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StateBackendException(String message) {
        super(message);
    }

    public StateBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

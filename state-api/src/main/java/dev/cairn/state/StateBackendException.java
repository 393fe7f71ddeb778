package dev.cairn.state;

/** Root of every exception Cairn throws for a state, configuration or checkpoint problem. */
public class StateBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure of a state backend.
     *
     * @param message what failed, naming the state or operator
     */
    public StateBackendException(String message) {
        super(message);
    }

    /**
     * A failure of a state backend, with the underlying error.
     *
     * @param message what failed, naming the state or operator
     * @param cause the underlying error
     */
    public StateBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

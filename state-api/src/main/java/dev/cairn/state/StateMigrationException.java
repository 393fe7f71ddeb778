package dev.cairn.state;

/**
 * Restored state cannot be read with what the application registers now: the state's serializer (or its key
 * or namespace serializer) is incompatible with the one written into the snapshot, or the state was registered
 * with a different type. The message names the state.
 */
public class StateMigrationException extends StateBackendException {
    private static final long serialVersionUID = 1L;

    /**
     * Restored state that the new serializers or descriptor cannot take over.
     *
     * @param message what is incompatible, naming the state
     */
    public StateMigrationException(String message) {
        super(message);
    }

    /**
     * Restored state that the new serializers or descriptor cannot take over, with the cause.
     *
     * @param message what is incompatible, naming the state
     * @param cause the underlying error
     */
    public StateMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}

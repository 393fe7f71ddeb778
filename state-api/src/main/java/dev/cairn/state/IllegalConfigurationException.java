package dev.cairn.state;

/**
 * A configuration value is missing, malformed or out of range. The message always names the key, the
 * offending value and what is allowed.
 */
public class IllegalConfigurationException extends StateBackendException {
    private static final long serialVersionUID = 1L;

    /**
     * A configuration value that is not allowed.
     *
     * @param message the key, the value and what is allowed
     */
    public IllegalConfigurationException(String message) {
        super(message);
    }

    /**
     * A configuration value that is not allowed, with the underlying error.
     *
     * @param message the key, the value and what is allowed
     * @param cause the underlying error
     */
    public IllegalConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Builds the canonical message: {@code Invalid value 'abc' for key 'x': expected a memory size like '64mb'}.
     *
     * @param key the configuration key
     * @param value the offending value as given
     * @param allowed what the key accepts
     * @return the exception
     */
    public static IllegalConfigurationException invalidValue(String key, Object value, String allowed) {
        return new IllegalConfigurationException(
                "Invalid value '" + value + "' for configuration key '" + key + "': expected " + allowed);
    }
}

package dev.cairn.state;

/** Options that choose and shape the state backend. */
public final class StateBackendOptions {
    private StateBackendOptions() {}

    /**
     * {@code state.backend.type}: {@code hashmap}, {@code rocksdb}, or the class name of a
     * {@link dev.cairn.state.spi.StateBackendFactory}. Deprecated key: {@code state.backend}.
     */
    public static final ConfigOption<String> STATE_BACKEND = ConfigOptions.key("state.backend.type")
            .stringType()
            .defaultValue("hashmap")
            .withDeprecatedKeys("state.backend")
            .withDescription("The state backend: 'hashmap', 'rocksdb', or the fully qualified class name of a"
                    + " StateBackendFactory.");
}

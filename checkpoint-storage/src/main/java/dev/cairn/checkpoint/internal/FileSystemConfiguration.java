package dev.cairn.checkpoint.internal;

import dev.cairn.state.Configuration;
import dev.cairn.state.ReadableConfig;
import java.util.Objects;

/** The process-wide configuration file systems are created with (see {@code FileSystem.initialize}). */
public final class FileSystemConfiguration {
    private static volatile ReadableConfig configuration = new Configuration();

    private FileSystemConfiguration() {}

    public static void set(ReadableConfig newConfiguration) {
        configuration = Objects.requireNonNull(newConfiguration, "configuration");
    }

    public static ReadableConfig get() {
        return configuration;
    }
}

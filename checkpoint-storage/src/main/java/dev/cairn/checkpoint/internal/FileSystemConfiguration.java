package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.FileSystemFactory;
import dev.cairn.state.Configuration;
import dev.cairn.state.ReadableConfig;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide configuration file systems are created with (see {@code FileSystem.initialize}), and the
 * {@link FileSystemFactory} services by scheme, found once: {@code FileSystem.get} runs for every state file a
 * restore opens or a subsumed checkpoint deletes, so it must not scan the classpath each time.
 */
public final class FileSystemConfiguration {
    private static final Map<String, FileSystemFactory> FACTORIES = new ConcurrentHashMap<>();
    private static volatile ReadableConfig configuration = new Configuration();

    private FileSystemConfiguration() {}

    public static void set(ReadableConfig newConfiguration) {
        configuration = Objects.requireNonNull(newConfiguration, "configuration");
    }

    public static ReadableConfig get() {
        return configuration;
    }

    /** The factory serving {@code scheme} (lower case), or {@code null} if no module on the classpath does. */
    public static FileSystemFactory factory(String scheme) {
        return FACTORIES.computeIfAbsent(scheme, FileSystemConfiguration::load);
    }

    private static FileSystemFactory load(String scheme) {
        for (FileSystemFactory factory : ServiceLoader.load(FileSystemFactory.class)) {
            if (factory.scheme().equalsIgnoreCase(scheme)) {
                return factory;
            }
        }
        return null;
    }
}

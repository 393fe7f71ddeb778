package dev.cairn.checkpoint.s3.internal;

import dev.cairn.state.ReadableConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link S3FileSystem} (and SDK client) per distinct settings, for the life of the process. */
public final class S3FileSystems {
    private static final Map<S3Settings, S3FileSystem> BY_SETTINGS = new ConcurrentHashMap<>();

    private S3FileSystems() {}

    public static S3FileSystem forConfiguration(ReadableConfig configuration) {
        return BY_SETTINGS.computeIfAbsent(
                S3Settings.from(configuration), settings -> new S3FileSystem(S3Clients.create(settings), settings));
    }
}

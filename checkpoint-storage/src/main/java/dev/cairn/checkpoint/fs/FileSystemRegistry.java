package dev.cairn.checkpoint.fs;

import dev.cairn.state.Configuration;
import dev.cairn.state.ReadableConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file systems of one owner — a checkpoint storage, a changelog storage — created with the owner's configuration
 * and closed with it.
 *
 * <p><b>Design.</b> Paths in checkpoint metadata carry no configuration (no endpoint, no credentials), so whoever
 * reads or deletes a file must know which configured file system it belongs to. Rather than one process-wide setting
 * (where two applications in one JVM would overwrite each other's S3 endpoint), every storage owns a registry built
 * from its configuration, and the state handles it creates or restores keep the file system they came from.
 * {@code file:} paths share the stateless {@link LocalFileSystem}; every other scheme gets one file system per
 * registry from its {@link FileSystemFactory} (found with {@link ServiceLoader}), created on first use and closed by
 * {@link #close()} — an S3 client lives exactly as long as its owner.
 *
 * <p><b>Caveats:</b> thread-safe. After {@link #close()}, {@link #get} fails; handles created earlier must not be
 * used any more.
 */
public final class FileSystemRegistry implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemRegistry.class);
    /** Factories are stateless and found once per scheme; the file systems they create are never shared. */
    private static final Map<String, Optional<FileSystemFactory>> FACTORIES = new ConcurrentHashMap<>();

    private final ReadableConfig configuration;
    private final Map<String, FileSystem> fileSystems = new LinkedHashMap<>();
    private boolean closed;

    /**
     * A registry whose file systems are configured by {@code configuration}.
     *
     * @param configuration endpoints, credentials and other settings of the file systems (e.g. {@code s3.*})
     */
    public FileSystemRegistry(ReadableConfig configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
    }

    /**
     * A registry with default settings: local files, and other schemes configured as their factories default to (for
     * S3: the SDK's default region and credential chain).
     *
     * @return a new registry
     */
    public static FileSystemRegistry withDefaults() {
        return new FileSystemRegistry(new Configuration());
    }

    /**
     * The file system for {@code path}'s scheme, created on first use.
     *
     * @param path a path
     * @return the registry's file system for its scheme
     * @throws IllegalArgumentException naming the scheme (and the module that would provide it) if none serves it
     * @throws IllegalStateException if the registry is closed
     */
    public synchronized FileSystem get(StoragePath path) {
        if (closed) {
            throw new IllegalStateException("The file systems for " + path + " were closed with their owner");
        }
        String scheme = path.scheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return LocalFileSystem.INSTANCE;
        }
        FileSystem existing = fileSystems.get(scheme);
        if (existing != null) {
            return existing;
        }
        Optional<FileSystemFactory> factory = FACTORIES.computeIfAbsent(scheme, FileSystemRegistry::load);
        if (factory.isEmpty()) {
            throw new IllegalArgumentException("No file system for scheme '" + scheme + "' in " + path
                    + (scheme.equals("s3") ? ": add the cairn-checkpoint-storage-s3 module to the classpath" : "")
                    + "; supported here: " + String.join(", ", schemes()));
        }
        FileSystem created = factory.get().create(path, configuration);
        fileSystems.put(scheme, created);
        return created;
    }

    private static List<String> schemes() {
        List<String> schemes = new ArrayList<>(List.of("file"));
        for (FileSystemFactory factory :
                ServiceLoader.load(FileSystemFactory.class, FileSystemRegistry.class.getClassLoader())) {
            schemes.add(factory.scheme());
        }
        return schemes;
    }

    private static Optional<FileSystemFactory> load(String scheme) {
        for (FileSystemFactory factory :
                ServiceLoader.load(FileSystemFactory.class, FileSystemRegistry.class.getClassLoader())) {
            if (factory.scheme().equalsIgnoreCase(scheme)) {
                return Optional.of(factory);
            }
        }
        return Optional.empty();
    }

    /**
     * Closes every file system this registry created (the first failure is thrown once all were tried). Idempotent.
     *
     * @throws UncheckedIOException if a file system failed to close
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        for (Map.Entry<String, FileSystem> entry : fileSystems.entrySet()) {
            try {
                entry.getValue().close();
            } catch (IOException e) {
                LOG.warn("Closing the {} file system failed", entry.getKey(), e);
                failure = failure == null ? e : failure;
            }
        }
        fileSystems.clear();
        if (failure != null) {
            throw new UncheckedIOException("Closing a file system failed", failure);
        }
    }
}

package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.rocksdb.RocksDBOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a stable location instead of a new temporary copy per process.
 *
 * <p>rocksdbjni on its own extracts its 15-20 MB library into {@code java.io.tmpdir} under a random name on every
 * start and deletes it on a clean exit only: every killed process leaves one behind. Here the library is extracted
 * once per rocksdbjni jar into {@code <dir>/<key>/}, where the key identifies the jar's library (its location,
 * size and time stamp), written to a temporary file first and moved into place atomically, so concurrent starts
 * and crashes mid-way never leave a partial library under the final name; later processes load the same file.
 * The default directory, {@code <java.io.tmpdir>/cairn-rocksdbjni-<user>}, is created readable by its owner only,
 * and a directory owned by someone else is not used: a shared temporary directory must not let another user plant
 * the library we load. If anything fails, rocksdbjni's own loading is used, with a warning.
 */
public final class RocksDBNativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDBNativeLibrary.class);
    private static volatile boolean loaded;

    private RocksDBNativeLibrary() {}

    /** Loads the library from the default directory unless it is loaded already. */
    public static void ensureLoaded() {
        load(null);
    }

    /**
     * Loads the library from {@code directory} ({@code null}: the default) unless it is loaded already; a
     * process loads it once, so a directory given after the first load has no effect.
     */
    public static synchronized void load(Path directory) {
        if (loaded) {
            return;
        }
        Path base = directory != null ? directory : defaultDirectory();
        try {
            Path versionDirectory = extract(base);
            RocksDB.loadLibrary(List.of(versionDirectory.toString()));
            LOG.debug("Loaded RocksDB's native library from {}", versionDirectory);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.warn(
                    "Cannot load RocksDB's native library from {} ({}: {}); rocksdbjni extracts its own copy into"
                            + " java.io.tmpdir instead",
                    base,
                    RocksDBOptions.NATIVE_LIBRARY_DIRECTORY.key(),
                    e.toString());
            RocksDB.loadLibrary();
        }
        loaded = true;
    }

    static Path defaultDirectory() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "cairn-rocksdbjni-" + user);
    }

    /** Extracts the library into its version directory under {@code base} unless it is there; returns that. */
    static Path extract(Path base) throws IOException {
        String resource = Environment.getJniLibraryFileName("rocksdb");
        URL url = RocksDB.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("rocksdbjni has no native library " + resource + " for this platform");
        }
        URLConnection connection = url.openConnection();
        long length = connection.getContentLengthLong();
        CRC32C key = new CRC32C();
        key.update((url + "|" + length + "|" + connection.getLastModified()).getBytes(StandardCharsets.UTF_8));
        createPrivateDirectory(base);
        Path versionDirectory = base.resolve(String.format("%08x", key.getValue()));
        Files.createDirectories(versionDirectory);
        // The name RocksDB.loadLibrary(paths) looks for in each directory.
        Path library = versionDirectory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
        if (Files.isRegularFile(library) && (length < 0 || Files.size(library) == length)) {
            return versionDirectory;
        }
        Path temporary = versionDirectory.resolve(".extracting-" + UUID.randomUUID());
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, temporary);
            if (length >= 0 && Files.size(temporary) != length) {
                throw new IOException("Extracted " + Files.size(temporary) + " of " + length + " bytes of " + url);
            }
            try {
                Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // Another process extracted it at the same time; if its copy is damaged, replace it.
                if (length >= 0 && Files.size(library) != length) {
                    Files.move(temporary, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info("Extracted RocksDB's native library to {}", library);
        return versionDirectory;
    }

    private static void createPrivateDirectory(Path base) throws IOException {
        if (!Files.exists(base)) {
            try {
                if (base.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createDirectories(
                            base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(base);
                }
            } catch (FileAlreadyExistsException e) {
                // created concurrently; checked below
            }
        }
        String owner = Files.getOwner(base).getName();
        String user = System.getProperty("user.name");
        if (user != null && !owner.equals(user)) {
            throw new IOException(base + " belongs to " + owner + ", not to " + user);
        }
    }
}

package dev.cairn.checkpoint.fs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A location in a {@link FileSystem}: a normalized absolute URI such as {@code file:///var/lib/app/chk} or
 * {@code s3://bucket/prefix}. Plain local paths ({@code /tmp/chk}, {@code chk}) become {@code file:} URIs.
 */
public final class StoragePath {
    private final URI uri;

    private StoragePath(URI uri) {
        this.uri = uri;
    }

    /**
     * Parses a URI or a plain local path.
     *
     * @param text a URI such as {@code s3://bucket/dir} or {@code file:///data}, or a local path
     * @return the path, normalized
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static StoragePath of(String text) {
        Objects.requireNonNull(text, "path");
        if (text.isBlank()) {
            throw new IllegalArgumentException("A storage path must not be empty");
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getScheme().length() == 1) { // "C:" is a drive, not a scheme
                return fromLocal(Path.of(text));
            }
            if (uri.getScheme().equals("file")) {
                return fromLocal(Path.of(uri));
            }
            String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new StoragePath(new URI(uri.getScheme(), uri.getAuthority(), path, null, null).normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a valid storage path or URI: " + e.getMessage(), e);
        }
    }

    /**
     * A local file system path.
     *
     * @param path the path, made absolute
     * @return its {@code file:} storage path
     */
    public static StoragePath fromLocal(Path path) {
        String absolute = path.toAbsolutePath().normalize().toString().replace('\\', '/');
        try {
            return new StoragePath(new URI("file", null, absolute.startsWith("/") ? absolute : "/" + absolute, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot turn " + path + " into a file URI", e);
        }
    }

    /**
     * The path as a URI.
     *
     * @return the URI
     */
    public URI toUri() {
        return uri;
    }

    /**
     * The URI scheme.
     *
     * @return the scheme, such as {@code file} or {@code s3}
     */
    public String scheme() {
        return uri.getScheme();
    }

    /**
     * The local path; only for {@code file:} paths.
     *
     * @return the path
     * @throws IllegalStateException for other schemes
     */
    public Path toLocalPath() {
        if (!"file".equals(scheme())) {
            throw new IllegalStateException(this + " is not a local path");
        }
        return Path.of(uri);
    }

    /**
     * The child {@code relative} path; {@code relative} must not be absolute or climb with {@code ..}.
     *
     * @param relative a relative path of one or more segments
     * @return the child
     * @throws IllegalArgumentException for a path that would escape this directory
     */
    public StoragePath resolve(String relative) {
        checkRelative(relative);
        String base = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
        try {
            return new StoragePath(new URI(uri.getScheme(), uri.getAuthority(), base + relative, null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Cannot resolve '" + relative + "' against " + this, e);
        }
    }

    /**
     * Checks that {@code relative} stays inside the directory it is resolved against.
     *
     * @param relative the relative path
     * @throws IllegalArgumentException naming it if it is absolute, empty or climbs out
     */
    public static void checkRelative(String relative) {
        if (relative == null
                || relative.isEmpty()
                || relative.startsWith("/")
                || relative.contains("\\")
                || relative.contains(":")) {
            throw new IllegalArgumentException("'" + relative + "' is not a relative path inside the checkpoint");
        }
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "'" + relative + "' escapes the checkpoint directory (segment '" + segment + "')");
            }
        }
    }

    /**
     * The last path segment.
     *
     * @return the name
     */
    public String getName() {
        String path = uri.getPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /**
     * The parent directory.
     *
     * @return the parent, or {@code null} at the root
     */
    public StoragePath getParent() {
        String path = uri.getPath();
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = trimmed.lastIndexOf('/');
        if (slash < 0 || trimmed.isEmpty()) {
            return null;
        }
        try {
            return new StoragePath(new URI(
                    uri.getScheme(), uri.getAuthority(), slash == 0 ? "/" : trimmed.substring(0, slash), null, null));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The path of {@code child} relative to this directory.
     *
     * @param child a path inside this directory
     * @return the relative path, or {@code null} if it is not inside
     */
    public String relativize(StoragePath child) {
        String base = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
        if (!Objects.equals(uri.getScheme(), child.uri.getScheme())
                || !Objects.equals(uri.getAuthority(), child.uri.getAuthority())
                || !child.uri.getPath().startsWith(base)) {
            return null;
        }
        return child.uri.getPath().substring(base.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoragePath && ((StoragePath) o).uri.equals(uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}

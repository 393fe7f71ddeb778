package dev.cairn.checkpoint.internal;

import dev.cairn.checkpoint.fs.StoragePath;
import dev.cairn.state.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where a file named by checkpoint metadata may be: inside the root it belongs to, also after following symbolic
 * links. A path that leaves its root is never read or deleted.
 */
public final class StoragePathPolicy {
    private StoragePathPolicy() {}

    /** Whether {@code relative} (a path below some root) has no segment that climbs. */
    private static boolean staysInside(String relative) {
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code path}, after checking that on a local file system it does not lead out of {@code root} through a
     * symbolic link (an absent file is fine: its absence is reported when it is read).
     *
     * @throws CorruptCheckpointException naming {@code source} and both real paths otherwise
     */
    public static StoragePath checkNoLinkEscape(StoragePath root, StoragePath path, String source) {
        if (!"file".equals(path.scheme()) || !"file".equals(root.scheme())) {
            return path;
        }
        Path local = path.toLocalPath();
        if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
            return path;
        }
        try {
            Path real = local.toRealPath();
            Path realRoot = root.toLocalPath().toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new CorruptCheckpointException(path + " named in " + source + " leads to " + real
                        + " through a symbolic link, outside " + realRoot + "; nothing was read or deleted");
            }
        } catch (IOException e) {
            throw new CorruptCheckpointException("Cannot resolve " + path + " named in " + source + ": " + e, e);
        }
        return path;
    }

    /** Whether {@code path} lies strictly inside {@code root} (after normalization; links not followed). */
    public static boolean isInside(StoragePath root, StoragePath path) {
        String relative = root.relativize(path);
        return relative != null && !relative.isEmpty() && staysInside(relative);
    }
}

package dev.cairn.checkpoint.internal;

import dev.cairn.state.CorruptCheckpointException;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@link KeyedStateHandleCodec}s on the class path (or module path), by type tag, found once with
 * {@link ServiceLoader}. The codecs are stateless, so one registry serves every storage of the process.
 */
final class HandleCodecs {
    /**
     * The modules that provide Cairn's own codecs, to tell a user which dependency a checkpoint needs when its codec
     * is missing.
     */
    private static final Map<String, String> PROVIDED_BY =
            Map.of("native", "cairn-state-rocksdb", "changelog", "cairn-changelog");

    private static final Map<String, KeyedStateHandleCodec> BY_TAG = load();

    private HandleCodecs() {}

    private static Map<String, KeyedStateHandleCodec> load() {
        Map<String, KeyedStateHandleCodec> codecs = new LinkedHashMap<>();
        for (KeyedStateHandleCodec codec :
                ServiceLoader.load(KeyedStateHandleCodec.class, HandleCodecs.class.getClassLoader())) {
            KeyedStateHandleCodec earlier = codecs.putIfAbsent(codec.typeTag(), codec);
            if (earlier != null && earlier.getClass() != codec.getClass()) {
                throw new IllegalStateException("Two keyed state handle codecs claim type tag '" + codec.typeTag()
                        + "': " + earlier.getClass().getName() + " and "
                        + codec.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(codecs);
    }

    /** The codec that writes {@code handle}; an error naming the handle's class if none does. */
    static KeyedStateHandleCodec forHandle(KeyedStateHandle handle) {
        for (KeyedStateHandleCodec codec : BY_TAG.values()) {
            if (codec.handleType().isInstance(handle)) {
                return codec;
            }
        }
        throw new IllegalArgumentException("Cannot store a " + handle.getClass().getName()
                + " in checkpoint metadata: no KeyedStateHandleCodec on the class path writes it (codecs found: "
                + tags() + ")");
    }

    /** The codec of type tag {@code tag}; an error naming the tag, and the module that provides it, if missing. */
    static KeyedStateHandleCodec forTag(String tag, String source) {
        KeyedStateHandleCodec codec = BY_TAG.get(tag);
        if (codec != null) {
            return codec;
        }
        String provider = PROVIDED_BY.get(tag);
        if (provider != null) {
            throw new CorruptCheckpointException("Keyed state handle type '" + tag + "' in " + source
                    + " is read by module " + provider + ", which is not on the class path; add the dependency"
                    + " dev.cairn:" + provider + " to restore this checkpoint");
        }
        throw new CorruptCheckpointException("Unknown keyed state handle type '" + tag + "' in " + source
                + "; known: key-groups" + (BY_TAG.isEmpty() ? "" : ", " + String.join(", ", tags())));
    }

    private static List<String> tags() {
        return List.copyOf(BY_TAG.keySet());
    }
}

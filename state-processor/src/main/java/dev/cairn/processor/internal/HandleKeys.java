package dev.cairn.processor.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle;
import dev.cairn.state.TypeSerializerSnapshot;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StreamStateHandle;
import dev.cairn.state.support.CanonicalSnapshotReader;
import java.io.IOException;
import java.util.Optional;

/**
 * The key serializer and max parallelism a keyed-state handle was written with, read from the handle itself: the
 * header of a canonical stream, the meta-data stream of a native RocksDB checkpoint, or the materialized part or
 * first change segment of a changelog checkpoint. Offline tools restore with them instead of the application's.
 *
 * @param numberOfKeyGroups the max parallelism
 * @param keySerializer the snapshot of the key serializer
 */
public record HandleKeys(int numberOfKeyGroups, TypeSerializerSnapshot<?> keySerializer) {

    /**
     * Reads what {@code handle} records about its keys.
     *
     * @param handle a keyed-state handle of any backend Cairn ships
     * @param classLoader loads the key serializer snapshot's class
     * @return the keys, or empty for a changelog handle without materialization or changes (no state)
     * @throws IOException when the stream cannot be read
     * @throws IllegalArgumentException for a handle type Cairn does not know
     */
    public static Optional<HandleKeys> of(KeyedStateHandle handle, ClassLoader classLoader) throws IOException {
        if (handle instanceof KeyGroupsStateHandle canonical) {
            try (CanonicalSnapshotReader reader = CanonicalSnapshotReader.open(canonical, classLoader)) {
                return Optional.of(new HandleKeys(reader.getNumberOfKeyGroups(), reader.getKeySerializerSnapshot()));
            }
        }
        if (handle instanceof IncrementalKeyedStateHandle nativeHandle) {
            return of(nativeHandle.getMetaData(), classLoader);
        }
        if (handle instanceof IncrementalHeapStateHandle chains) {
            if (chains.getFiles().isEmpty()) {
                return Optional.empty();
            }
            StreamStateHandle newest = chains.getFiles().get(chains.getFiles().size() - 1).stream();
            try (CanonicalSnapshotReader reader =
                    CanonicalSnapshotReader.open(newest, classLoader, IncrementalHeapStateHandle.FORMAT)) {
                return Optional.of(new HandleKeys(reader.getNumberOfKeyGroups(), reader.getKeySerializerSnapshot()));
            }
        }
        if (handle instanceof ChangelogStateBackendHandle changelog) {
            for (KeyedStateHandle materialized : changelog.materialized()) {
                Optional<HandleKeys> keys = of(materialized, classLoader);
                if (keys.isPresent()) {
                    return keys;
                }
            }
            return changelog
                    .recordedKeys(classLoader)
                    .map(keys -> new HandleKeys(keys.numberOfKeyGroups(), keys.keySerializer()));
        }
        throw new IllegalArgumentException(
                "Unknown keyed-state handle type " + handle.getClass().getName());
    }

    /**
     * A short name of the handle's format, for people.
     *
     * @param handle a keyed-state handle
     * @return {@code canonical}, {@code rocksdb-native}, {@code rocksdb-incremental}, {@code changelog},
     *     {@code heap-incremental} or the class name
     */
    public static String format(KeyedStateHandle handle) {
        if (handle instanceof KeyGroupsStateHandle) {
            return "canonical";
        }
        if (handle instanceof IncrementalKeyedStateHandle nativeHandle) {
            return nativeHandle.isIncremental() ? "rocksdb-incremental" : "rocksdb-native";
        }
        if (handle instanceof ChangelogStateBackendHandle) {
            return "changelog";
        }
        if (handle instanceof IncrementalHeapStateHandle) {
            return "heap-incremental";
        }
        return handle.getClass().getSimpleName();
    }
}

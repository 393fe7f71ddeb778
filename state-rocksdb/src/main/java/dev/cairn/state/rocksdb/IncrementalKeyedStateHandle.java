package dev.cairn.state.rocksdb;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A checkpoint in a backend's native file format (RocksDB): the files of a native database checkpoint plus a
 * small canonical stream with the states' meta information (and any state kept outside the files, such as
 * heap-mode timers).
 *
 * <p>{@link #getDataFiles() Data files} (RocksDB's immutable SST files) of an incremental checkpoint are written
 * with {@link StateScope#SHARED} and reused, unchanged, by later checkpoints of the same backend while a retained
 * checkpoint still references them; a full native checkpoint writes them with {@link StateScope#EXCLUSIVE}.
 * {@link #getPrivateFiles() Private files} (MANIFEST, CURRENT, OPTIONS) always belong to this checkpoint alone.
 * Each file is listed under its local file name, the stable identity the backend uses to recognise a file it has
 * already uploaded; the stream handle carries the storage path and the recorded checksum.
 *
 * <p>The files hold every key group of {@link #getKeyGroupRange()}; they cannot be cut without opening them, so
 * {@link #getIntersection} returns this handle unchanged when the ranges overlap and the restoring backend clips.
 * Native checkpoints restore only into the backend that wrote them; savepoints are always canonical.
 */
public final class IncrementalKeyedStateHandle implements KeyedStateHandle {

    /** A file of the native checkpoint: its local file name and where its bytes are stored. */
    public record NamedFile(String name, StreamStateHandle stream) {
        /**
         * Checks that the name is a plain file name.
         *
         * @param name the local file name
         * @param stream where its bytes are stored
         */
        public NamedFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(stream, "stream");
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new IllegalArgumentException("Not a plain file name: '" + name + "'");
            }
        }
    }

    private final String backendIdentifier;
    private final long checkpointId;
    private final KeyGroupRange keyGroupRange;
    private final KeyGroupsStateHandle metaData;
    private final List<NamedFile> dataFiles;
    private final List<NamedFile> privateFiles;
    private final long checkpointedSize;
    private final boolean incremental;

    /**
     * @param backendIdentifier identifies the backend instance that wrote the files (file names are unique only
     *     within one instance)
     * @param metaData canonical stream with the state meta information and out-of-database state
     * @param checkpointedSize bytes newly written by this checkpoint (reused shared files excluded)
     * @param incremental whether the data files are shared with other checkpoints ({@link StateScope#SHARED}) or
     *     belong to this one
     * @param checkpointId the checkpoint that wrote the handle
     * @param keyGroupRange the key groups the files hold
     * @param dataFiles the SST files
     * @param privateFiles the other files of the database (MANIFEST, CURRENT, OPTIONS)
     */
    public IncrementalKeyedStateHandle(
            String backendIdentifier,
            long checkpointId,
            KeyGroupRange keyGroupRange,
            KeyGroupsStateHandle metaData,
            List<NamedFile> dataFiles,
            List<NamedFile> privateFiles,
            long checkpointedSize,
            boolean incremental) {
        this.backendIdentifier = Objects.requireNonNull(backendIdentifier);
        this.checkpointId = checkpointId;
        this.keyGroupRange = Objects.requireNonNull(keyGroupRange);
        this.metaData = Objects.requireNonNull(metaData);
        this.dataFiles = List.copyOf(dataFiles);
        this.privateFiles = List.copyOf(privateFiles);
        this.checkpointedSize = checkpointedSize;
        this.incremental = incremental;
    }

    /** {@return whether the data files may be shared with other checkpoints} */
    public boolean isIncremental() {
        return incremental;
    }

    /** {@return the identifier of the backend instance that wrote the files} */
    public String getBackendIdentifier() {
        return backendIdentifier;
    }

    /** {@return the checkpoint that wrote the handle} */
    public long getCheckpointId() {
        return checkpointId;
    }

    /** {@return the canonical stream with the states' meta information (restrict it with its own intersection)} */
    public KeyGroupsStateHandle getMetaData() {
        return metaData;
    }

    /** {@return the immutable data files (SSTs), possibly shared with other checkpoints} */
    public List<NamedFile> getDataFiles() {
        return dataFiles;
    }

    /** {@return the files that belong to this checkpoint only} */
    public List<NamedFile> getPrivateFiles() {
        return privateFiles;
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    @Override
    public KeyedStateHandle getIntersection(KeyGroupRange range) {
        return keyGroupRange.intersection(range).isEmpty() ? null : this;
    }

    @Override
    public long getCheckpointedSize() {
        return checkpointedSize;
    }

    @Override
    public List<StreamStateHandle> getStreams() {
        List<StreamStateHandle> streams = new ArrayList<>(dataFiles.size() + privateFiles.size() + 1);
        streams.add(metaData.getStream());
        privateFiles.forEach(file -> streams.add(file.stream()));
        dataFiles.forEach(file -> streams.add(file.stream()));
        return streams;
    }

    /**
     * Deletes the meta stream and the private files, and the data files unless they are shared (an incremental
     * checkpoint's data files are released by the coordinator's reference counting).
     */
    @Override
    public void discardState() throws IOException {
        metaData.discardState();
        for (NamedFile file : privateFiles) {
            file.stream().discardState();
        }
        if (!incremental) {
            for (NamedFile file : dataFiles) {
                file.stream().discardState();
            }
        }
    }

    @Override
    public String toString() {
        return "IncrementalKeyedStateHandle{" + backendIdentifier + ", checkpoint " + checkpointId + ", "
                + keyGroupRange + (incremental ? ", incremental, " : ", full, ") + dataFiles.size() + " data files, "
                + privateFiles.size() + " private}";
    }
}

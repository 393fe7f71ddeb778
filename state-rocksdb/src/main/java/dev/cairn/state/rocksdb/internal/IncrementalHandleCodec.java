package dev.cairn.state.rocksdb.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle;
import dev.cairn.state.rocksdb.IncrementalKeyedStateHandle.NamedFile;
import dev.cairn.state.spi.HandleMetadataReader;
import dev.cairn.state.spi.HandleMetadataWriter;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;

/**
 * Native RocksDB checkpoints in {@code _metadata}: type {@code native}, the files by local name, the canonical meta
 * stream as a nested {@code key-groups} handle ({@code docs/format.md}).
 */
public final class IncrementalHandleCodec implements KeyedStateHandleCodec {
    @Override
    public String typeTag() {
        return "native";
    }

    @Override
    public Class<? extends KeyedStateHandle> handleType() {
        return IncrementalKeyedStateHandle.class;
    }

    @Override
    public void write(KeyedStateHandle handle, HandleMetadataWriter out) {
        IncrementalKeyedStateHandle incremental = (IncrementalKeyedStateHandle) handle;
        out.putString("backend", incremental.getBackendIdentifier());
        out.putLong("checkpointId", incremental.getCheckpointId());
        out.putKeyGroupRange(incremental.getKeyGroupRange());
        out.putBoolean("incremental", incremental.isIncremental());
        out.putLong("checkpointedSize", incremental.getCheckpointedSize());
        out.putKeyed("meta", incremental.getMetaData());
        out.putArray("dataFiles", incremental.getDataFiles(), IncrementalHandleCodec::writeFile);
        out.putArray("privateFiles", incremental.getPrivateFiles(), IncrementalHandleCodec::writeFile);
    }

    private static void writeFile(NamedFile file, HandleMetadataWriter out) {
        out.putString("name", file.name());
        out.putStream("stream", file.stream());
    }

    @Override
    public KeyedStateHandle read(HandleMetadataReader in) {
        boolean incremental = in.getBoolean("incremental");
        KeyGroupRange range = in.getKeyGroupRange();
        if (!(in.getKeyed("meta") instanceof KeyGroupsStateHandle meta)) {
            throw in.corrupt("the meta stream of a native handle is not a key-groups handle");
        }
        if (!meta.getKeyGroupRange().equals(range)) {
            throw in.corrupt("a native handle covers " + range + " but its meta stream " + meta.getKeyGroupRange());
        }
        return new IncrementalKeyedStateHandle(
                in.getString("backend"),
                in.getLong("checkpointId"),
                range,
                meta,
                in.getArray("dataFiles", IncrementalHandleCodec::readFile),
                in.getArray("privateFiles", IncrementalHandleCodec::readFile),
                in.getLong("checkpointedSize"),
                incremental);
    }

    private static NamedFile readFile(HandleMetadataReader in) {
        String name = in.getString("name");
        try {
            return new NamedFile(name, in.getStream("stream"));
        } catch (IllegalArgumentException e) {
            throw in.corrupt("a native checkpoint file is named '" + name + "', which is not a plain file name");
        }
    }
}

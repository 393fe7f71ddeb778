package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.heap.IncrementalHeapStateHandle.ChainFile;
import dev.cairn.state.spi.HandleMetadataReader;
import dev.cairn.state.spi.HandleMetadataWriter;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.KeyedStateHandleCodec;
import dev.cairn.state.spi.StreamStateHandle;
import java.util.List;

/**
 * Incremental heap checkpoints in {@code _metadata}: type {@code heap-incremental}, the chain files with their
 * section offsets, and each key group's base file ({@code docs/format.md}). Reading checks what a writer cannot
 * have produced: a base index outside the files, a key group without a section in its base file, offsets that do
 * not increase or point past their file.
 */
public final class IncrementalHeapHandleCodec implements KeyedStateHandleCodec {
    @Override
    public String typeTag() {
        return "heap-incremental";
    }

    @Override
    public Class<? extends KeyedStateHandle> handleType() {
        return IncrementalHeapStateHandle.class;
    }

    @Override
    public void write(KeyedStateHandle handle, HandleMetadataWriter out) {
        IncrementalHeapStateHandle chains = (IncrementalHeapStateHandle) handle;
        out.putLong("checkpointId", chains.getCheckpointId());
        out.putKeyGroupRange(chains.getKeyGroupRange());
        out.putKeyGroupHash(false);
        out.putLong("checkpointedSize", chains.getCheckpointedSize());
        int[] bases = chains.getBaseFiles();
        long[] stored = new long[bases.length];
        for (int i = 0; i < bases.length; i++) {
            stored[i] = bases[i];
        }
        out.putLongs("baseFiles", stored);
        out.putArray("files", chains.getFiles(), IncrementalHeapHandleCodec::writeFile);
    }

    private static void writeFile(ChainFile file, HandleMetadataWriter out) {
        out.putLong("checkpointId", file.checkpointId());
        out.putLong("firstKeyGroup", file.firstKeyGroup());
        out.putLongs("offsets", file.sectionOffsets());
        out.putStream("stream", file.stream());
    }

    @Override
    public KeyedStateHandle read(HandleMetadataReader in) {
        if (in.legacyKeyGroupHash()) {
            throw in.corrupt("a heap-incremental handle must be partitioned by Flink's key-group hash");
        }
        KeyGroupRange range = in.getKeyGroupRange();
        List<ChainFile> files = in.getArray("files", IncrementalHeapHandleCodec::readFile);
        long[] stored = in.getLongs("baseFiles");
        if (stored.length != range.getNumberOfKeyGroups()) {
            throw in.corrupt("a heap-incremental handle of " + range + " lists " + stored.length + " base files");
        }
        int[] bases = new int[stored.length];
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] < -1 || stored[i] >= files.size()) {
                throw in.corrupt("key group " + (range.getStartKeyGroup() + i) + " names base file " + stored[i]
                        + " of " + files.size());
            }
            bases[i] = (int) stored[i];
        }
        try {
            return new IncrementalHeapStateHandle(
                    in.getLong("checkpointId"), range, files, bases, in.getLong("checkpointedSize"));
        } catch (IllegalArgumentException e) {
            throw in.corrupt(e.getMessage());
        }
    }

    private static ChainFile readFile(HandleMetadataReader in) {
        StreamStateHandle stream = in.getStream("stream");
        long[] offsets = in.getLongs("offsets");
        long previous = -1;
        for (long offset : offsets) {
            if (offset < -1 || (offset >= 0 && (offset <= previous || offset >= stream.getStateSize()))) {
                throw in.corrupt("the section offsets of " + stream.describe() + " do not increase within the file's "
                        + stream.getStateSize() + " bytes");
            }
            previous = Math.max(previous, offset);
        }
        long firstKeyGroup = in.getLong("firstKeyGroup");
        if (firstKeyGroup < 0 || firstKeyGroup > Short.MAX_VALUE) {
            throw in.corrupt("a chain file starts at key group " + firstKeyGroup);
        }
        return new ChainFile(in.getLong("checkpointId"), stream, (int) firstKeyGroup, offsets);
    }
}

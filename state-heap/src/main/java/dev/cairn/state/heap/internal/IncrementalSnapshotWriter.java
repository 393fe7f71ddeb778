package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import dev.cairn.state.heap.IncrementalHeapStateHandle;
import dev.cairn.state.heap.IncrementalHeapStateHandle.ChainFile;
import dev.cairn.state.spi.CheckpointStreamFactory;
import dev.cairn.state.spi.KeyGroupsStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.support.AsyncSnapshotTask;
import dev.cairn.state.support.CanonicalSnapshotWriter;
import dev.cairn.state.support.StateMetaInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous part of an incremental heap checkpoint: one file, in the canonical framing, with a section per
 * key group of the range — a full <em>base</em> (canonical records) where the key group has no chain yet or its
 * chain reached a limit, else a <em>delta</em> (tombstones, then the entries changed since the basis) — and a
 * handle that chains the new sections after the basis's ({@code docs/format.md}).
 *
 * <p>It reads only what the synchronous part captured (bucket arrays, removal-log views, change versions), so the
 * task keeps writing meanwhile, exactly as for a full snapshot.
 */
final class IncrementalSnapshotWriter<K> {
    private final HeapSnapshotWriter<K> records;
    private final List<HeapSnapshotWriter.StateView> views;
    private final TypeSerializer<K> keySerializer;
    private final int numberOfKeyGroups;
    private final KeyGroupRange range;
    private final IncrementalCheckpoints.Basis basis;
    private final IncrementalSettings settings;
    private final long checkpointId;

    IncrementalSnapshotWriter(
            TypeSerializer<K> keySerializer,
            int numberOfKeyGroups,
            KeyGroupRange range,
            List<HeapSnapshotWriter.StateView> views,
            IncrementalCheckpoints.Basis basis,
            IncrementalSettings settings,
            long checkpointId) {
        this.records = new HeapSnapshotWriter<>(keySerializer, numberOfKeyGroups, range, views);
        this.views = views;
        this.keySerializer = keySerializer;
        this.numberOfKeyGroups = numberOfKeyGroups;
        this.range = range;
        this.basis = basis;
        this.settings = settings;
        this.checkpointId = checkpointId;
    }

    /** Writes the file and returns the new chains; stops with a cancellation once {@code task} is cancelled. */
    IncrementalHeapStateHandle write(CheckpointStreamFactory streamFactory, AsyncSnapshotTask<?> task)
            throws IOException {
        List<StateMetaInfo> metaInfos = new ArrayList<>(views.size());
        views.forEach(view -> metaInfos.add(view.metaInfo()));
        int keyGroups = range.getNumberOfKeyGroups();
        boolean[] newBase = new boolean[keyGroups];
        boolean[] used = new boolean[keyGroups];
        KeyGroupsStateHandle file;
        try (CanonicalSnapshotWriter writer = new CanonicalSnapshotWriter(
                streamFactory.createOutputStream(StateScope.SHARED),
                range,
                keySerializer,
                numberOfKeyGroups,
                metaInfos,
                IncrementalHeapStateHandle.FORMAT)) {
            for (int keyGroup = range.getStartKeyGroup(); keyGroup <= range.getEndKeyGroup(); keyGroup++) {
                task.throwIfCancelled();
                int index = keyGroup - range.getStartKeyGroup();
                boolean base = needsBase(keyGroup);
                writer.startKeyGroup(keyGroup);
                writer.writeBoolean(!base); // the section's kind: 0 base, 1 delta
                int written = 0;
                for (int state = 0; state < views.size(); state++) {
                    written += base
                            ? records.writeKeyGroup(
                                    writer, state, views.get(state).tables()[index])
                            : records.writeDelta(
                                    writer,
                                    state,
                                    index,
                                    basis.version(),
                                    basis.removalEnd(views.get(state).metaInfo().getName(), index));
                }
                writer.endKeyGroup();
                newBase[index] = base;
                used[index] = written > 0;
            }
            file = writer.finish();
        }
        return chain(file, newBase, used);
    }

    /**
     * Whether {@code keyGroup} gets a new base: it has no chain (first checkpoint, or no state at the basis), or
     * its chain reached a limit. The length limit is staggered over the last quarter of its value by key group, so
     * that with evenly spread updates new bases spread over several checkpoints instead of all falling on one.
     */
    private boolean needsBase(int keyGroup) {
        if (basis == null) {
            return true;
        }
        IncrementalHeapStateHandle chains = basis.handle();
        int base = chains.baseFile(keyGroup);
        if (base < 0) {
            return true;
        }
        List<ChainFile> files = chains.getFiles();
        int deltas = 0;
        long deltaBytes = 0;
        for (int file = base + 1; file < files.size(); file++) {
            long length = files.get(file).sectionLength(keyGroup);
            if (length > 0) {
                deltas++;
                deltaBytes += length;
            }
        }
        int stagger = keyGroup % Math.max(1, settings.maxChainLength() / 4);
        return deltas + stagger >= settings.maxChainLength()
                || settings.needsNewBase(deltas, deltaBytes, files.get(base).sectionLength(keyGroup));
    }

    /** The handle: the basis's files that chains still use, then the new file (if any section of it is used). */
    private IncrementalHeapStateHandle chain(KeyGroupsStateHandle file, boolean[] newBase, boolean[] used)
            throws IOException {
        List<ChainFile> earlier = basis == null ? List.of() : basis.handle().getFiles();
        boolean[] keep = new boolean[earlier.size()];
        for (int keyGroup : range) {
            int index = keyGroup - range.getStartKeyGroup();
            if (!newBase[index]) {
                for (int older = basis.handle().baseFile(keyGroup); older < earlier.size(); older++) {
                    keep[older] |= earlier.get(older).offset(keyGroup) >= 0;
                }
            }
        }
        List<ChainFile> files = new ArrayList<>();
        int[] renumbered = new int[earlier.size()];
        for (int older = 0; older < earlier.size(); older++) {
            renumbered[older] = keep[older] ? files.size() : -1;
            if (keep[older]) {
                files.add(earlier.get(older));
            }
        }
        long[] offsets = new long[used.length];
        boolean anyUsed = false;
        for (int index = 0; index < used.length; index++) {
            offsets[index] = used[index] ? file.getOffsets().getOffset(range.getStartKeyGroup() + index) : -1;
            anyUsed |= used[index];
        }
        int own = files.size();
        if (anyUsed) {
            files.add(new ChainFile(checkpointId, file.getStream(), range.getStartKeyGroup(), offsets));
        } else {
            file.getStream().discardState(); // nothing changed: the chains stay as they were
        }
        int[] bases = new int[used.length];
        for (int keyGroup : range) {
            int index = keyGroup - range.getStartKeyGroup();
            bases[index] = newBase[index]
                    ? (used[index] ? own : -1)
                    : renumbered[basis.handle().baseFile(keyGroup)];
        }
        return new IncrementalHeapStateHandle(
                checkpointId, range, files, bases, anyUsed ? file.getStream().getStateSize() : 0);
    }

    /** Serialized bytes per entry of the state at {@code stateIndex} in the bases written (NaN: none). */
    double bytesPerEntry(int stateIndex) {
        return records.bytesPerEntry(stateIndex);
    }
}

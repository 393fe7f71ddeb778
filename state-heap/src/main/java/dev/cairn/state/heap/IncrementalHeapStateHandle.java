package dev.cairn.state.heap;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.StateScope;
import dev.cairn.state.spi.StreamStateHandle;
import dev.cairn.state.support.StreamFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An incremental checkpoint of the heap backend: per key group, a chain of sections in files written by this and
 * earlier checkpoints — one full <em>base</em> section followed by <em>delta</em> sections with the entries that
 * changed and tombstones for the ones removed since ({@code docs/format.md}).
 *
 * <p>Every checkpoint writes one file, in the canonical framing ({@link #FORMAT}), with a section for each key
 * group of its range; the file is {@link StateScope#SHARED}: later checkpoints of the same backend reference it as
 * long as a key group's chain needs it, and the checkpoint coordinator's shared-state registry deletes it when no
 * retained checkpoint does. A {@link ChainFile} records where each key group's section starts in the file, or
 * {@code -1} where the file holds nothing for it (the key group did not change, or a later base replaced it).
 * {@link #getBaseFiles()} says, per key group, which file holds its base: the key group's chain is that section
 * followed by the sections of all later files. A key group without state has no base ({@code -1}).
 *
 * <p>A restore applies each key group's chain in order; rescaling keeps the chains of the restored key groups
 * ({@link #getIntersection}). Incremental heap checkpoints restore only into the heap backend; savepoints are
 * always canonical.
 */
public final class IncrementalHeapStateHandle implements KeyedStateHandle {
    /** The file format: "CAIRNKI1", version 1. */
    public static final StreamFormat FORMAT =
            new StreamFormat(0x434149524E4B4931L, 1, "Cairn incremental heap checkpoint file");

    /**
     * One file of the chains.
     *
     * @param checkpointId the checkpoint that wrote it
     * @param stream where its bytes are
     * @param firstKeyGroup the key group of {@code sectionOffsets[0]}
     * @param sectionOffsets per key group from {@code firstKeyGroup}, the offset of its section in the file, or
     *     {@code -1} when the file holds nothing for it that a chain uses
     */
    public record ChainFile(long checkpointId, StreamStateHandle stream, int firstKeyGroup, long[] sectionOffsets) {
        /**
         * Checks the arguments.
         *
         * @param checkpointId the checkpoint that wrote it
         * @param stream where its bytes are
         * @param firstKeyGroup the key group of {@code sectionOffsets[0]}
         * @param sectionOffsets offsets of the sections, {@code -1} for none
         */
        public ChainFile {
            Objects.requireNonNull(stream, "stream");
            sectionOffsets = sectionOffsets.clone();
        }

        /**
         * {@return the offset of {@code keyGroup}'s section, or {@code -1}}
         *
         * @param keyGroup a key group
         */
        public long offset(int keyGroup) {
            int index = keyGroup - firstKeyGroup;
            return index < 0 || index >= sectionOffsets.length ? -1 : sectionOffsets[index];
        }

        /**
         * {@return the bytes of {@code keyGroup}'s section (up to the next section the file lists, or the file's
         * end), or 0 when the file holds none}
         *
         * @param keyGroup a key group
         */
        public long sectionLength(int keyGroup) {
            long offset = offset(keyGroup);
            if (offset < 0) {
                return 0;
            }
            for (int index = keyGroup - firstKeyGroup + 1; index < sectionOffsets.length; index++) {
                if (sectionOffsets[index] >= 0) {
                    return sectionOffsets[index] - offset;
                }
            }
            return stream.getStateSize() - offset;
        }

        /** {@return a copy of the section offsets, from {@code firstKeyGroup} on} */
        @Override
        public long[] sectionOffsets() {
            return sectionOffsets.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ChainFile file
                    && file.checkpointId == checkpointId
                    && file.firstKeyGroup == firstKeyGroup
                    && file.stream.equals(stream)
                    && Arrays.equals(file.sectionOffsets, sectionOffsets);
        }

        @Override
        public int hashCode() {
            return Objects.hash(checkpointId, stream, firstKeyGroup, Arrays.hashCode(sectionOffsets));
        }

        @Override
        public String toString() {
            return "ChainFile{checkpoint " + checkpointId + ", " + stream.describe() + "}";
        }
    }

    private final long checkpointId;
    private final KeyGroupRange keyGroupRange;
    private final List<ChainFile> files;
    private final int[] baseFiles;
    private final long checkpointedSize;

    /**
     * @param checkpointId the checkpoint this handle belongs to
     * @param keyGroupRange the key groups it holds
     * @param files the files of the chains, oldest first
     * @param baseFiles per key group of the range, the index in {@code files} of its base, or {@code -1} when it
     *     has no state
     * @param checkpointedSize bytes this checkpoint wrote (its own file)
     * @throws IllegalArgumentException when a base index or a base section is missing
     */
    public IncrementalHeapStateHandle(
            long checkpointId,
            KeyGroupRange keyGroupRange,
            List<ChainFile> files,
            int[] baseFiles,
            long checkpointedSize) {
        this.checkpointId = checkpointId;
        this.keyGroupRange = Objects.requireNonNull(keyGroupRange);
        this.files = List.copyOf(files);
        this.baseFiles = baseFiles.clone();
        this.checkpointedSize = checkpointedSize;
        if (baseFiles.length != keyGroupRange.getNumberOfKeyGroups()) {
            throw new IllegalArgumentException(
                    "One base per key group of " + keyGroupRange + " expected, got " + baseFiles.length);
        }
        for (int keyGroup : keyGroupRange) {
            int base = baseFiles[keyGroup - keyGroupRange.getStartKeyGroup()];
            if (base < -1 || base >= this.files.size()) {
                throw new IllegalArgumentException(
                        "Key group " + keyGroup + " names base file " + base + " of " + this.files.size());
            }
            if (base >= 0 && this.files.get(base).offset(keyGroup) < 0) {
                throw new IllegalArgumentException(
                        "Key group " + keyGroup + " has no section in its base file " + this.files.get(base));
            }
        }
    }

    /** {@return the checkpoint this handle belongs to} */
    public long getCheckpointId() {
        return checkpointId;
    }

    /** {@return the files of the chains, oldest first} */
    public List<ChainFile> getFiles() {
        return files;
    }

    /** {@return per key group of the range, the index of the file holding its base, or {@code -1} for no state} */
    public int[] getBaseFiles() {
        return baseFiles.clone();
    }

    /**
     * {@return the index of the file holding {@code keyGroup}'s base, or {@code -1} when it has no state}
     *
     * @param keyGroup a key group of the range
     */
    public int baseFile(int keyGroup) {
        return baseFiles[keyGroup - keyGroupRange.getStartKeyGroup()];
    }

    /**
     * {@return the number of delta sections after {@code keyGroup}'s base}
     *
     * @param keyGroup a key group of the range
     */
    public int chainLength(int keyGroup) {
        int base = baseFile(keyGroup);
        int deltas = 0;
        for (int file = base + 1; base >= 0 && file < files.size(); file++) {
            if (files.get(file).offset(keyGroup) >= 0) {
                deltas++;
            }
        }
        return deltas;
    }

    @Override
    public KeyGroupRange getKeyGroupRange() {
        return keyGroupRange;
    }

    @Override
    public KeyedStateHandle getIntersection(KeyGroupRange range) {
        KeyGroupRange common = keyGroupRange.intersection(range);
        if (common.isEmpty()) {
            return null;
        }
        if (common.equals(keyGroupRange)) {
            return this;
        }
        boolean[] used = new boolean[files.size()];
        for (int keyGroup : common) {
            int base = baseFile(keyGroup);
            for (int file = Math.max(base, 0); base >= 0 && file < files.size(); file++) {
                used[file] |= files.get(file).offset(keyGroup) >= 0;
            }
        }
        List<ChainFile> kept = new ArrayList<>();
        int[] newIndex = new int[files.size()];
        for (int file = 0; file < files.size(); file++) {
            newIndex[file] = used[file] ? kept.size() : -1;
            if (used[file]) {
                kept.add(files.get(file));
            }
        }
        int[] bases = new int[common.getNumberOfKeyGroups()];
        for (int keyGroup : common) {
            int base = baseFile(keyGroup);
            bases[keyGroup - common.getStartKeyGroup()] = base < 0 ? -1 : newIndex[base];
        }
        return new IncrementalHeapStateHandle(checkpointId, common, kept, bases, checkpointedSize);
    }

    @Override
    public long getCheckpointedSize() {
        return checkpointedSize;
    }

    @Override
    public List<StreamStateHandle> getStreams() {
        List<StreamStateHandle> streams = new ArrayList<>(files.size());
        files.forEach(file -> streams.add(file.stream()));
        return streams;
    }

    /**
     * Nothing: every file is shared with other checkpoints of the same backend, and the checkpoint coordinator's
     * reference counting deletes it when no retained checkpoint uses it.
     */
    @Override
    public void discardState() {}

    @Override
    public String toString() {
        return "IncrementalHeapStateHandle{checkpoint " + checkpointId + ", " + keyGroupRange + ", " + files.size()
                + " files}";
    }
}

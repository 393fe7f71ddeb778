package dev.cairn.changelog.internal;

import dev.cairn.changelog.ChangelogStateBackendHandle.Segment;
import dev.cairn.changelog.StateChangelogStorage;
import dev.cairn.state.StateBackendException;
import dev.cairn.state.support.DataOutputSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Appends the change records of one changelog backend and turns them into uploaded segments.
 *
 * <p>Records go into an open buffer (task thread only). {@link #rollover()} seals it into a segment — at every
 * checkpoint and materialization, so a checkpoint contains exactly the changes before its synchronous part — and
 * so does the buffer growing past the pre-emptive threshold, in which case the segment is uploaded at once.
 * Sealed segments are uploaded when a checkpoint needs them ({@link #persist}); their bytes are dropped once
 * uploaded. {@link #truncate} forgets the segments a confirmed materialization covers; those no completed
 * checkpoint referenced are discarded from storage once no pending checkpoint includes them.
 *
 * <p>Thread-safety: appends and {@link #rollover()} on the task thread; the segment list is guarded by this
 * object's monitor because checkpoints complete on other threads.
 */
public final class ChangelogWriter {

    /** A sealed run of records. */
    public static final class SealedSegment {
        final long from;
        final long to;
        final int length;
        private volatile byte[] data;
        private CompletableFuture<Segment> upload;
        final Set<Long> pendingCheckpoints = new HashSet<>();
        boolean confirmed;
        boolean includedBefore;

        SealedSegment(byte[] data, long from, long to) {
            this.data = data;
            this.length = data.length;
            this.from = from;
            this.to = to;
        }
    }

    private final StateChangelogStorage storage;
    private final long preemptiveThreshold;
    private final DataOutputSerializer open = new DataOutputSerializer(1 << 16);
    private final List<byte[]> metaEntries = new ArrayList<>();
    private final BitSet metaInOpen = new BitSet();
    private final List<SealedSegment> segments = new ArrayList<>();
    private final List<SealedSegment> truncatedAwaitingCheckpoints = new ArrayList<>();
    private long nextSequence;
    private long openFrom;

    private final byte[] keysEntry;

    /** @param keysEntry the KEYS entry body ({@link ChangeFormat#keysEntry}) every segment starts with */
    public ChangelogWriter(StateChangelogStorage storage, long preemptiveThreshold, byte[] keysEntry) {
        this.storage = storage;
        this.preemptiveThreshold = preemptiveThreshold;
        this.keysEntry = keysEntry;
    }

    /** Registers a state's META entry body ({@link ChangeFormat#metaEntry}); returns its id. */
    public int registerState(byte[] metaEntry) {
        metaEntries.add(metaEntry);
        return metaEntries.size() - 1;
    }

    /** Appends one change record; the payload is {@code payload}'s current content. */
    public void append(int stateId, int keyGroup, byte op, byte[] key, byte[] namespace, DataOutputSerializer payload) {
        append(stateId, keyGroup, op, key, key.length, namespace, payload);
    }

    /**
     * Appends one change record whose key is {@code key[0, keyLength)} (a reused buffer: nothing is allocated per
     * change); the payload is {@code payload}'s current content.
     */
    public void append(
            int stateId,
            int keyGroup,
            byte op,
            byte[] key,
            int keyLength,
            byte[] namespace,
            DataOutputSerializer payload) {
        try {
            if (open.length() == 0) {
                open.writeByte(ChangeFormat.KEYS);
                open.write(keysEntry);
            }
            if (!metaInOpen.get(stateId)) {
                open.writeByte(ChangeFormat.META);
                open.writeVarInt(stateId);
                open.write(metaEntries.get(stateId));
                metaInOpen.set(stateId);
            }
            open.writeByte(ChangeFormat.CHANGE);
            open.writeVarInt(stateId);
            open.writeShort(keyGroup);
            open.writeByte(op);
            ChangeFormat.writeField(open, key, 0, keyLength);
            ChangeFormat.writeField(open, namespace, 0, namespace.length);
            if (payload == null) {
                open.writeVarInt(0);
            } else {
                ChangeFormat.writeField(open, payload.getSharedBuffer(), 0, payload.length());
            }
        } catch (IOException e) {
            throw new StateBackendException("Cannot record a state change: " + e.getMessage(), e);
        }
        nextSequence++;
        if (open.length() >= preemptiveThreshold) {
            SealedSegment sealed = rollover();
            if (sealed != null) {
                upload(sealed); // pre-emptive: the checkpoint finds it uploaded already
            }
        }
    }

    /** The sequence number the next change gets. */
    public long nextSequence() {
        return nextSequence;
    }

    /** Seals the open buffer into a segment; returns it, or {@code null} when the buffer was empty. */
    public SealedSegment rollover() {
        if (open.length() == 0) {
            return null;
        }
        SealedSegment sealed = new SealedSegment(open.toByteArray(), openFrom, nextSequence);
        open.clear();
        metaInOpen.clear();
        openFrom = nextSequence;
        synchronized (this) {
            segments.add(sealed);
        }
        return sealed;
    }

    /**
     * The synchronous part of a checkpoint: seals the open buffer and returns the segments from
     * {@code fromSequence} on, marked as included in {@code checkpointId}.
     */
    public List<SealedSegment> capture(long checkpointId, long fromSequence) {
        rollover();
        List<SealedSegment> captured = new ArrayList<>();
        synchronized (this) {
            for (SealedSegment segment : segments) {
                if (segment.from >= fromSequence) {
                    segment.pendingCheckpoints.add(checkpointId);
                    captured.add(segment);
                }
            }
        }
        return captured;
    }

    /** The segments of {@code captured} from {@code sequence} on. */
    public static List<SealedSegment> from(List<SealedSegment> captured, long sequence) {
        List<SealedSegment> selected = new ArrayList<>();
        for (SealedSegment segment : captured) {
            if (segment.from >= sequence) {
                selected.add(segment);
            }
        }
        return selected;
    }

    /** Uploads what is not uploaded yet (or failed before) and waits; returns the segments in order. */
    public List<Segment> persist(List<SealedSegment> captured) throws IOException {
        List<CompletableFuture<Segment>> uploads = new ArrayList<>();
        for (SealedSegment segment : captured) {
            uploads.add(upload(segment));
        }
        List<Segment> persisted = new ArrayList<>();
        try {
            for (CompletableFuture<Segment> upload : uploads) {
                persisted.add(upload.join());
            }
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        return persisted;
    }

    /** Bytes of {@code captured} no earlier checkpoint included (what this checkpoint adds); marks them. */
    public synchronized long newlyIncludedBytes(List<SealedSegment> captured) {
        long bytes = 0;
        for (SealedSegment segment : captured) {
            if (!segment.includedBefore) {
                segment.includedBefore = true;
                bytes += segment.length;
            }
        }
        return bytes;
    }

    private synchronized CompletableFuture<Segment> upload(SealedSegment segment) {
        if (segment.upload == null || segment.upload.isCompletedExceptionally()) {
            byte[] data = segment.data;
            segment.upload = storage.persist(data, segment.from, segment.to).whenComplete((uploaded, error) -> {
                if (error == null) {
                    segment.data = null; // uploaded for good: keep only the handle
                }
            });
        }
        return segment.upload;
    }

    /** Checkpoint {@code checkpointId} completed: the segments it included are confirmed. */
    public synchronized void checkpointCompleted(long checkpointId) {
        for (SealedSegment segment : allTracked()) {
            if (segment.pendingCheckpoints.remove(checkpointId) && !segment.confirmed) {
                segment.confirmed = true;
                segment.upload.thenAccept(storage::confirm);
            }
            segment.pendingCheckpoints.removeIf(id -> id < checkpointId); // older ones will not complete
        }
        discardUnneeded();
    }

    /** Checkpoint {@code checkpointId} failed. */
    public synchronized void checkpointAborted(long checkpointId) {
        for (SealedSegment segment : allTracked()) {
            segment.pendingCheckpoints.remove(checkpointId);
        }
        discardUnneeded();
    }

    /** Forgets the segments before {@code sequence}: a confirmed materialization holds their changes. */
    public synchronized void truncate(long sequence) {
        for (Iterator<SealedSegment> it = segments.iterator(); it.hasNext(); ) {
            SealedSegment segment = it.next();
            if (segment.to <= sequence) {
                it.remove();
                if (!segment.confirmed) {
                    truncatedAwaitingCheckpoints.add(segment);
                }
            }
        }
        discardUnneeded();
    }

    private List<SealedSegment> allTracked() {
        List<SealedSegment> all = new ArrayList<>(segments);
        all.addAll(truncatedAwaitingCheckpoints);
        return all;
    }

    private void discardUnneeded() {
        for (Iterator<SealedSegment> it = truncatedAwaitingCheckpoints.iterator(); it.hasNext(); ) {
            SealedSegment segment = it.next();
            if (segment.confirmed) {
                it.remove();
            } else if (segment.pendingCheckpoints.isEmpty()) {
                it.remove();
                if (segment.upload != null) {
                    segment.upload.thenAccept(storage::discard);
                }
            }
        }
    }

    /** Segments sealed and not truncated; for tests. */
    public synchronized int segmentCount() {
        return segments.size();
    }
}

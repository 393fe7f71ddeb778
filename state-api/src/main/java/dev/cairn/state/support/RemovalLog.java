package dev.cairn.state.support;

import java.io.IOException;
import java.util.Arrays;

/**
 * The (key, namespace) pairs removed from one {@link CopyOnWriteStateMap}, in removal order, for incremental
 * snapshots: a delta must carry a tombstone for every entry removed since the snapshot it builds on.
 *
 * <p><b>Design.</b> Positions are global and only grow, so a snapshot records "everything before position p" and a
 * later one reads the range between two such positions. The log is a directory of fixed-size chunks. The task
 * thread appends into the last chunk and replaces the directory (never modifies it) when it adds or drops chunks,
 * so a {@link View} captured by a snapshot's synchronous part — a directory reference and two positions — stays
 * valid while the task keeps removing and pruning: it reads only slots written before it was captured, which the
 * task never writes again, and the chunks it references are kept alive by it. Pruning drops whole chunks below the
 * position the last completed checkpoint recorded.
 *
 * <p>Not thread-safe: one task thread appends and prunes; snapshot threads read views.
 *
 * @param <K> key type
 * @param <N> namespace type
 */
public final class RemovalLog<K, N> {
    private static final int CHUNK_ENTRIES = 256;
    private static final Object[][] NO_CHUNKS = new Object[0][];

    private Object[][] chunks = NO_CHUNKS;
    /** Global position of the first slot of {@code chunks[0]}. */
    private long first;
    /** Global position of the next removal. */
    private long end;

    /**
     * Records a removal.
     *
     * @param key the removed key
     * @param namespace its namespace
     */
    public void add(K key, N namespace) {
        long slot = end - first;
        int chunk = (int) (slot / CHUNK_ENTRIES);
        int index = (int) (slot % CHUNK_ENTRIES) * 2;
        if (chunk == chunks.length) {
            Object[][] grown = Arrays.copyOf(chunks, chunk + 1);
            grown[chunk] = new Object[CHUNK_ENTRIES * 2];
            chunks = grown;
        }
        chunks[chunk][index] = key;
        chunks[chunk][index + 1] = namespace;
        end++;
    }

    /** {@return the position after the last removal} */
    public long end() {
        return end;
    }

    /**
     * Forgets removals before {@code position} (whole chunks only); views captured earlier are unaffected.
     *
     * @param position no snapshot will read removals before this position any more
     */
    public void pruneBefore(long position) {
        long drop = Math.min(position, end) - first;
        if (drop <= 0) {
            return;
        }
        int chunksToDrop = (int) (drop / CHUNK_ENTRIES);
        if (chunksToDrop > 0) {
            chunks = Arrays.copyOfRange(chunks, chunksToDrop, chunks.length);
            first += (long) chunksToDrop * CHUNK_ENTRIES;
        }
    }

    /** {@return the removals so far, readable from any thread while the task goes on} */
    public View<K, N> view() {
        return new View<>(chunks, first, end);
    }

    /**
     * Receives removals (a snapshot writing tombstones).
     *
     * @param <K> key type
     * @param <N> namespace type
     */
    @FunctionalInterface
    public interface Visitor<K, N> {
        /**
         * One removal.
         *
         * @param key the removed key
         * @param namespace its namespace
         * @throws IOException when writing fails
         */
        void removed(K key, N namespace) throws IOException;
    }

    /**
     * The log as it was when captured.
     *
     * @param <K> key type
     * @param <N> namespace type
     */
    public static final class View<K, N> {
        private static final View<?, ?> EMPTY = new View<>(NO_CHUNKS, 0, 0);

        private final Object[][] chunks;
        private final long first;
        private final long end;

        private View(Object[][] chunks, long first, long end) {
            this.chunks = chunks;
            this.first = first;
            this.end = end;
        }

        /**
         * {@return the view of a log without removals}
         *
         * @param <K> key type
         * @param <N> namespace type
         */
        @SuppressWarnings("unchecked")
        public static <K, N> View<K, N> empty() {
            return (View<K, N>) EMPTY;
        }

        /** {@return the position after the last removal this view holds} */
        public long end() {
            return end;
        }

        /**
         * Calls {@code action} for every removal from position {@code from} (inclusive) to the view's end.
         *
         * @param from the first position to visit; not pruned yet
         * @param action receives key and namespace
         * @throws IOException when the action fails
         */
        @SuppressWarnings("unchecked")
        public void forEachFrom(long from, Visitor<K, N> action) throws IOException {
            if (from < first) {
                throw new IllegalStateException("Removals from position " + from + " were pruned (first kept: " + first
                        + "): a snapshot builds on a checkpoint older than the last completed one");
            }
            for (long position = from; position < end; position++) {
                long slot = position - first;
                Object[] chunk = chunks[(int) (slot / CHUNK_ENTRIES)];
                int index = (int) (slot % CHUNK_ENTRIES) * 2;
                action.removed((K) chunk[index], (N) chunk[index + 1]);
            }
        }
    }
}

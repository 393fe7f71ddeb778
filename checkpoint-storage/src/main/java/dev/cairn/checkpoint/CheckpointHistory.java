package dev.cairn.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.state.CheckpointException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.function.ToLongFunction;

/**
 * The last checkpoints of a coordinator — running, completed and failed — with their figures, and summaries of
 * the completed ones in the window: what Flink's web UI shows as checkpoint history ({@code
 * web.checkpoints.history} entries), as an API and as JSON. Fed as a {@link CheckpointProgressListener}; counts
 * since the start are kept beyond the window.
 *
 * <p>Thread-safe: the coordinator reports from the triggering thread and its checkpoint threads.
 */
public final class CheckpointHistory implements CheckpointProgressListener {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a checkpoint stands. */
    public enum Status {
        /** Triggered; neither completed nor failed yet. */
        IN_PROGRESS,
        /** Its metadata is durable. */
        COMPLETED,
        /** Failed or aborted; nothing of it remains. */
        FAILED
    }

    /**
     * One checkpoint or savepoint.
     *
     * @param checkpointId its id
     * @param savepoint whether it is a savepoint
     * @param triggerTime when it was triggered
     * @param status where it stands
     * @param durationMillis from trigger to completion or failure; for a running one, so far
     * @param syncPauseMicros the longest synchronous part of a backend (completed ones; else 0)
     * @param stateSize bytes of the whole state it references (completed ones; else 0)
     * @param checkpointedSize bytes it wrote itself, the delta of incremental checkpoints (completed ones; else 0)
     * @param failureCause why it failed ({@code null} unless failed)
     */
    public record Entry(
            long checkpointId,
            boolean savepoint,
            Instant triggerTime,
            Status status,
            long durationMillis,
            long syncPauseMicros,
            long stateSize,
            long checkpointedSize,
            String failureCause) {}

    /**
     * Minimum, average and maximum of one figure over the completed checkpoints in the window (all 0 when none).
     *
     * @param min the smallest value
     * @param avg the mean, rounded down
     * @param max the largest value
     */
    public record MinAvgMax(long min, long avg, long max) {
        static MinAvgMax of(List<Entry> completed, ToLongFunction<Entry> figure) {
            if (completed.isEmpty()) {
                return new MinAvgMax(0, 0, 0);
            }
            LongSummaryStatistics statistics =
                    completed.stream().mapToLong(figure).summaryStatistics();
            return new MinAvgMax(statistics.getMin(), (long) statistics.getAverage(), statistics.getMax());
        }
    }

    /**
     * Counts since the start, and summaries of the completed checkpoints in the window.
     *
     * @param completed checkpoints completed since the start
     * @param failed checkpoints failed since the start
     * @param inProgress checkpoints running now
     * @param durationMillis duration of the completed ones in the window
     * @param syncPauseMicros synchronous pause of the completed ones in the window
     * @param stateSize state size of the completed ones in the window
     * @param checkpointedSize bytes written by the completed ones in the window
     */
    public record Summary(
            long completed,
            long failed,
            int inProgress,
            MinAvgMax durationMillis,
            MinAvgMax syncPauseMicros,
            MinAvgMax stateSize,
            MinAvgMax checkpointedSize) {}

    private final int capacity;
    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long completed;
    private long failed;
    private Instant lastCompletion;
    private Entry lastFinished;

    /**
     * @param capacity how many checkpoints to keep (Flink's {@code web.checkpoints.history}); at least 1
     * @param clock tells the trigger times and durations
     */
    public CheckpointHistory(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A checkpoint history keeps at least 1 entry, not " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public synchronized void checkpointStarted(long checkpointId, boolean savepoint, int totalTasks) {
        entries.addFirst(new Entry(checkpointId, savepoint, clock.instant(), Status.IN_PROGRESS, 0, 0, 0, 0, null));
        // Evict the oldest finished entries first: a running checkpoint stays visible while it runs.
        while (entries.size() > capacity) {
            Iterator<Entry> oldest = entries.descendingIterator();
            boolean evicted = false;
            while (oldest.hasNext() && !evicted) {
                if (oldest.next().status() != Status.IN_PROGRESS) {
                    oldest.remove();
                    evicted = true;
                }
            }
            if (!evicted) {
                entries.removeLast();
            }
        }
    }

    @Override
    public synchronized void checkpointCompleted(CheckpointStats stats) {
        completed++;
        Entry running = remove(stats.checkpointId());
        Instant trigger =
                running != null ? running.triggerTime() : clock.instant().minusMillis(stats.durationMillis());
        lastCompletion = clock.instant();
        lastFinished = put(new Entry(
                stats.checkpointId(),
                stats.savepoint(),
                trigger,
                Status.COMPLETED,
                stats.durationMillis(),
                stats.syncPauseMicros(),
                stats.stateSize(),
                stats.checkpointedSize(),
                null));
    }

    @Override
    public synchronized void checkpointFailed(long checkpointId, CheckpointException.Reason reason, String message) {
        failed++;
        Entry running = remove(checkpointId);
        Instant now = clock.instant();
        Instant trigger = running != null ? running.triggerTime() : now;
        lastFinished = put(new Entry(
                checkpointId,
                running != null && running.savepoint(),
                trigger,
                Status.FAILED,
                now.toEpochMilli() - trigger.toEpochMilli(),
                0,
                0,
                0,
                reason + ": " + message));
    }

    private Entry remove(long checkpointId) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.checkpointId() == checkpointId) {
                it.remove();
                return entry;
            }
        }
        return null;
    }

    /** Puts a finished entry back in id order (newest first), within the capacity. */
    private Entry put(Entry entry) {
        List<Entry> ordered = new ArrayList<>(entries);
        int index = 0;
        while (index < ordered.size() && ordered.get(index).checkpointId() > entry.checkpointId()) {
            index++;
        }
        ordered.add(index, entry);
        entries.clear();
        entries.addAll(ordered.subList(0, Math.min(ordered.size(), capacity)));
        return entry;
    }

    /** {@return when the last checkpoint completed, if any did} */
    public synchronized java.util.Optional<Instant> lastCompletionTime() {
        return java.util.Optional.ofNullable(lastCompletion);
    }

    /** {@return the checkpoint that completed or failed last, if any finished} */
    public synchronized java.util.Optional<Entry> lastFinished() {
        return java.util.Optional.ofNullable(lastFinished);
    }

    /** {@return the checkpoints in the window, newest first; running ones show their duration so far} */
    public synchronized List<Entry> entries() {
        Instant now = clock.instant();
        List<Entry> result = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            result.add(
                    entry.status() == Status.IN_PROGRESS
                            ? new Entry(
                                    entry.checkpointId(),
                                    entry.savepoint(),
                                    entry.triggerTime(),
                                    Status.IN_PROGRESS,
                                    now.toEpochMilli() - entry.triggerTime().toEpochMilli(),
                                    0,
                                    0,
                                    0,
                                    null)
                            : entry);
        }
        return result;
    }

    /** {@return counts since the start and min/avg/max of the completed checkpoints in the window} */
    public synchronized Summary summary() {
        List<Entry> done = entries.stream()
                .filter(entry -> entry.status() == Status.COMPLETED)
                .toList();
        int running = (int) entries.stream()
                .filter(entry -> entry.status() == Status.IN_PROGRESS)
                .count();
        return new Summary(
                completed,
                failed,
                running,
                MinAvgMax.of(done, Entry::durationMillis),
                MinAvgMax.of(done, Entry::syncPauseMicros),
                MinAvgMax.of(done, Entry::stateSize),
                MinAvgMax.of(done, Entry::checkpointedSize));
    }

    /**
     * The history as JSON: {@code {"summary": {...}, "checkpoints": [...]}}, newest first, times as ISO-8601
     * instants (documented in the README).
     *
     * @return the JSON text
     */
    public String toJson() {
        Summary summary = summary();
        List<Entry> current = entries();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode counts = root.putObject("summary");
        counts.put("completed", summary.completed());
        counts.put("failed", summary.failed());
        counts.put("inProgress", summary.inProgress());
        putMinAvgMax(counts, "durationMillis", summary.durationMillis());
        putMinAvgMax(counts, "syncPauseMicros", summary.syncPauseMicros());
        putMinAvgMax(counts, "stateSize", summary.stateSize());
        putMinAvgMax(counts, "checkpointedSize", summary.checkpointedSize());
        ArrayNode checkpoints = root.putArray("checkpoints");
        for (Entry entry : current) {
            ObjectNode node = checkpoints.addObject();
            node.put("id", entry.checkpointId());
            node.put("savepoint", entry.savepoint());
            node.put("triggerTime", entry.triggerTime().toString());
            node.put("status", entry.status().name());
            node.put("durationMillis", entry.durationMillis());
            node.put("syncPauseMicros", entry.syncPauseMicros());
            node.put("stateSize", entry.stateSize());
            node.put("checkpointedSize", entry.checkpointedSize());
            if (entry.failureCause() != null) {
                node.put("failureCause", entry.failureCause());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putMinAvgMax(ObjectNode parent, String name, MinAvgMax values) {
        ObjectNode node = parent.putObject(name);
        node.put("min", values.min());
        node.put("avg", values.avg());
        node.put("max", values.max());
    }
}

package dev.cairn.state.support;

import java.util.TreeSet;

/**
 * The version clock shared by all state maps of one heap backend.
 *
 * <p>Every entry and table is stamped with the {@linkplain #current() current version} when written. Taking a
 * snapshot advances the version and marks the new value as <em>required</em>: anything stamped below the highest
 * required version may be read by a running snapshot and must be copied, not modified, by the task thread.
 * Releasing a snapshot (its writer finished or was cancelled) lowers the requirement again.
 *
 * <p>The task thread starts snapshots and reads the requirement; snapshot threads release them. A stale read of
 * the requirement can only be too high (a released snapshot still counted), which costs an unnecessary copy and
 * never correctness, so the field is volatile for timeliness, not safety.
 */
public final class SnapshotVersions {
    private final TreeSet<Integer> running = new TreeSet<>();
    private boolean tracksChanges;
    private int current;
    private volatile int highestRequired;

    /**
     * From now on the maps record removals, for incremental snapshots (a delta carries a tombstone for each;
     * changed entries are found by their versions either way). Called on the task thread when the first
     * incremental snapshot starts: before it, no snapshot could build on one, so nothing is recorded.
     */
    public void trackChanges() {
        tracksChanges = true;
    }

    /** {@return whether the maps record removals for incremental snapshots (task thread only)} */
    public boolean tracksChanges() {
        return tracksChanges;
    }

    /** {@return the version new writes are stamped with (task thread only)} */
    public int current() {
        return current;
    }

    /**
     * Entries and tables stamped below this may be shared with a running snapshot.
     *
     * @return the highest version a running snapshot still reads
     */
    public int highestRequired() {
        return highestRequired;
    }

    /**
     * Starts a snapshot on the task thread; returns its version.
     *
     * @return the snapshot's version, to release when it ends
     */
    public int startSnapshot() {
        int version = ++current;
        synchronized (running) {
            running.add(version);
            highestRequired = version;
        }
        return version;
    }

    /**
     * Ends a snapshot (any thread); idempotent.
     *
     * @param version a version from {@link #startSnapshot()}
     */
    public void release(int version) {
        synchronized (running) {
            running.remove(version);
            highestRequired = running.isEmpty() ? 0 : running.last();
        }
    }

    /** {@return the number of snapshots still reading shared data} */
    public int runningSnapshots() {
        synchronized (running) {
            return running.size();
        }
    }
}

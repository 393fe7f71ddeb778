package dev.cairn.state.support;

import dev.cairn.state.TypeSerializer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A chained hash map from (key, namespace) to state for one state and one key group, with copy-on-write
 * snapshots.
 *
 * <p><b>Design.</b> A snapshot must see the map exactly as it was when the snapshot started, while the task
 * thread keeps writing, and starting it must cost O(1). So a snapshot just keeps a reference to the current
 * bucket array ({@link #snapshotTable()}); the map never modifies anything such a snapshot can reach:
 *
 * <ul>
 *   <li>the bucket array is cloned before the first structural write after a snapshot started (tables are
 *       per key group, so a clone costs a few microseconds and happens at most once per snapshot);
 *   <li>an entry stamped below the {@linkplain SnapshotVersions#highestRequired() required version} is replaced by
 *       a private copy (together with the chain prefix that links to it) before its state or link changes;
 *   <li>a mutable state object (a list, a map, a POJO) shared with a snapshot is deep-copied with its serializer
 *       before it is handed out, because callers mutate what {@link #get} returns.
 * </ul>
 *
 * When no snapshot is running nothing is ever copied. Entries are never shared between maps, and a snapshot
 * reads only entries written before it started, which are safely published by handing the snapshot to its
 * executor.
 *
 * <p>Not thread-safe: one task thread writes; snapshot threads only read snapshot tables.
 */
public final class CopyOnWriteStateMap<K, N, S> {
    private static final int INITIAL_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 30;
    private static final StateEntry<?, ?, ?>[] EMPTY = new StateEntry<?, ?, ?>[0];
    private static final int[] NO_VERSIONS = new int[0];

    private final SnapshotVersions versions;
    private final Supplier<TypeSerializer<S>> stateSerializer;
    private StateEntry<K, N, S>[] table;
    /** Version at which {@link #table} was allocated or cloned; below the required version it is shared. */
    private int tableVersion;
    /**
     * Per bucket of {@link #table}, at least the highest {@code stateVersion} of its entries: an incremental
     * snapshot walks only the buckets changed since its basis instead of every entry. Shared with snapshots that
     * captured it (values only grow, so a snapshot may visit a bucket needlessly, never miss one); replaced on
     * resize.
     */
    private int[] bucketVersions = NO_VERSIONS;

    private int size;

    /** Version of the last change (put, remove, update in place): a map unchanged since a snapshot is skipped. */
    private int changeVersion;
    /** Removals, kept only when the versions track changes (incremental snapshots); created on first use. */
    private RemovalLog<K, N> removals;

    /**
     * @param versions the version clock shared by all maps a snapshot covers together
     * @param stateSerializer copies mutable state objects shared with a running snapshot
     */
    @SuppressWarnings("unchecked")
    public CopyOnWriteStateMap(SnapshotVersions versions, Supplier<TypeSerializer<S>> stateSerializer) {
        this.versions = versions;
        this.stateSerializer = stateSerializer;
        this.table = (StateEntry<K, N, S>[]) EMPTY;
        this.tableVersion = versions.current();
    }

    /** {@return the number of (key, namespace) entries} */
    public int size() {
        return size;
    }

    static int hash(Object key, Object namespace) {
        // Keys in one key group share the low bits of the key-group hash, so mix with a different function
        // (Fibonacci hashing) before taking the bucket index.
        int h = (key.hashCode() * 31 + namespace.hashCode()) * 0x9E3779B9;
        return h ^ (h >>> 15);
    }

    /**
     * The state of (key, namespace), or {@code null}. The returned object is private to the map's current view:
     * it may be mutated in place (a shared mutable state is copied first).
     *
     * @param key the key
     * @param namespace the namespace
     * @return the state, or {@code null}
     */
    public S get(K key, N namespace) {
        return lookup(key, namespace, false);
    }

    /**
     * The state of (key, namespace) for the caller to modify in place (a list it appends to, a map it puts into),
     * or {@code null}: like {@link #get}, and the entry counts as changed for incremental snapshots.
     *
     * @param key the key
     * @param namespace the namespace
     * @return the state, or {@code null}
     */
    public S getForUpdate(K key, N namespace) {
        return lookup(key, namespace, true);
    }

    private S lookup(K key, N namespace, boolean forUpdate) {
        int hash = hash(key, namespace);
        StateEntry<K, N, S>[] tab = table;
        if (tab.length == 0) {
            return null;
        }
        int bucket = hash & (tab.length - 1);
        for (StateEntry<K, N, S> e = tab[bucket]; e != null; e = e.next) {
            if (e.hash == hash && e.key.equals(key) && e.namespace.equals(namespace)) {
                int required = versions.highestRequired();
                boolean copy =
                        e.stateVersion < required && !stateSerializer.get().isImmutableType();
                int current = versions.current();
                // A read copies a mutable state a running snapshot shares; an update also stamps the entry as
                // changed, once per snapshot version, so repeated appends cost this one comparison.
                if (copy || (forUpdate && e.stateVersion != current)) {
                    e = privateEntry(bucket, e, required);
                    if (copy) {
                        e.state = stateSerializer.get().copy(e.state);
                    }
                    e.stateVersion = current;
                    bucketVersions[bucket] = current;
                    changeVersion = current;
                }
                return e.state;
            }
        }
        return null;
    }

    /**
     * {@return whether (key, namespace) has a state}
     *
     * @param key the key
     * @param namespace the namespace
     */
    public boolean containsKey(K key, N namespace) {
        return find(key, namespace) != null;
    }

    private StateEntry<K, N, S> find(K key, N namespace) {
        StateEntry<K, N, S>[] tab = table;
        if (tab.length == 0) {
            return null;
        }
        int hash = hash(key, namespace);
        for (StateEntry<K, N, S> e = tab[hash & (tab.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && e.key.equals(key) && e.namespace.equals(namespace)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Maps (key, namespace) to {@code state} (not {@code null}).
     *
     * @param key the key
     * @param namespace the namespace
     * @param state the new state
     */
    public void put(K key, N namespace, S state) {
        int hash = hash(key, namespace);
        int required = versions.highestRequired();
        StateEntry<K, N, S>[] tab = writableTable(required);
        if (tab.length == 0 || size >= (tab.length >> 2) * 3) {
            tab = resize(required);
        }
        int bucket = hash & (tab.length - 1);
        int current = versions.current();
        changeVersion = current;
        bucketVersions[bucket] = current;
        for (StateEntry<K, N, S> e = tab[bucket]; e != null; e = e.next) {
            if (e.hash == hash && e.key.equals(key) && e.namespace.equals(namespace)) {
                e = privateEntry(bucket, e, required);
                e.state = state;
                e.stateVersion = current;
                return;
            }
        }
        tab[bucket] = new StateEntry<>(key, namespace, hash, state, tab[bucket], current);
        size++;
    }

    /**
     * Removes (key, namespace); returns whether it was present.
     *
     * @param key the key
     * @param namespace the namespace
     * @return whether there was an entry
     */
    public boolean remove(K key, N namespace) {
        if (table.length == 0) {
            return false;
        }
        int hash = hash(key, namespace);
        int required = versions.highestRequired();
        StateEntry<K, N, S>[] tab = table;
        int bucket = hash & (tab.length - 1);
        StateEntry<K, N, S> previous = null;
        for (StateEntry<K, N, S> e = tab[bucket]; e != null; previous = e, e = e.next) {
            if (e.hash == hash && e.key.equals(key) && e.namespace.equals(namespace)) {
                tab = writableTable(required);
                if (previous == null) {
                    tab[bucket] = e.next;
                } else {
                    privateEntry(bucket, previous, required).next = e.next;
                }
                size--;
                changeVersion = versions.current();
                if (versions.tracksChanges()) {
                    if (removals == null) {
                        removals = new RemovalLog<>();
                    }
                    removals.add(key, namespace);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Removes (key, namespace) and returns its state, private to the caller (a mutable state shared with a running
     * snapshot is copied first), or {@code null} if there was none.
     *
     * @param key the key
     * @param namespace the namespace
     * @return the removed state, or {@code null}
     */
    public S removeAndGet(K key, N namespace) {
        StateEntry<K, N, S> entry = find(key, namespace);
        if (entry == null) {
            return null;
        }
        S state = entry.state;
        if (entry.stateVersion < versions.highestRequired()) {
            TypeSerializer<S> serializer = stateSerializer.get();
            if (!serializer.isImmutableType()) {
                state = serializer.copy(state);
            }
        }
        remove(key, namespace);
        return state;
    }

    /** The bucket array, cloned first if a running snapshot holds it. */
    private StateEntry<K, N, S>[] writableTable(int required) {
        if (tableVersion < required) {
            table = table.clone();
            tableVersion = versions.current();
        }
        return table;
    }

    /**
     * Returns {@code entry} itself if it is private, else replaces it (and every shared entry before it in its
     * chain, whose links must change) with private copies and returns the copy.
     */
    private StateEntry<K, N, S> privateEntry(int bucket, StateEntry<K, N, S> entry, int required) {
        if (entry.entryVersion >= required) {
            return entry;
        }
        StateEntry<K, N, S>[] tab = writableTable(required);
        int version = versions.current();
        StateEntry<K, N, S> current = tab[bucket];
        StateEntry<K, N, S> copy;
        if (current.entryVersion < required) {
            copy = new StateEntry<>(current, version);
            tab[bucket] = copy;
        } else {
            copy = current;
        }
        while (current != entry) {
            current = current.next;
            if (current.entryVersion < required) {
                StateEntry<K, N, S> next = new StateEntry<>(current, version);
                copy.next = next;
                copy = next;
            } else {
                copy = current;
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private StateEntry<K, N, S>[] resize(int required) {
        StateEntry<K, N, S>[] old = table;
        if (old.length >= MAX_CAPACITY) {
            return old;
        }
        int version = versions.current();
        StateEntry<K, N, S>[] resized =
                (StateEntry<K, N, S>[]) new StateEntry<?, ?, ?>[old.length == 0 ? INITIAL_CAPACITY : old.length * 2];
        int mask = resized.length - 1;
        int[] resizedVersions = new int[resized.length];
        for (StateEntry<K, N, S> head : old) {
            StateEntry<K, N, S> e = head;
            while (e != null) {
                StateEntry<K, N, S> next = e.next;
                // Shared entries keep their links for the snapshot; they move as private copies.
                StateEntry<K, N, S> moved = e.entryVersion < required ? new StateEntry<>(e, version) : e;
                int bucket = e.hash & mask;
                moved.next = resized[bucket];
                resized[bucket] = moved;
                resizedVersions[bucket] = Math.max(resizedVersions[bucket], moved.stateVersion);
                e = next;
            }
        }
        table = resized;
        bucketVersions = resizedVersions;
        tableVersion = version;
        return resized;
    }

    /**
     * The bucket array as it is now, for a snapshot that started on this thread just before. The map will not
     * modify the array or anything reachable from it while the snapshot's version is required.
     *
     * @return the current bucket array
     */
    public StateEntry<K, N, S>[] snapshotTable() {
        return table;
    }

    /**
     * {@return the version of the last change: the map has not changed since a snapshot of a higher or equal
     * version started when this is lower than that version}
     */
    public int changeVersion() {
        return changeVersion;
    }

    /**
     * The bucket versions of the current table, for a snapshot that captures {@link #snapshotTable()} at the same
     * time: bucket {@code b} of that table holds no entry with a {@code stateVersion} above the value at {@code b}
     * (the map may raise values later, never lower them).
     *
     * @return the array, indexed like the table's buckets
     */
    public int[] snapshotBucketVersions() {
        return bucketVersions;
    }

    /**
     * Iterates the entries of a bucket array whose {@code stateVersion} is at least {@code version}, visiting only
     * the buckets whose recorded version is that high.
     *
     * @param <K> the key type
     * @param <N> the namespace type
     * @param <S> the state type
     * @param tab a bucket array from {@link #snapshotTable()}
     * @param bucketVersions the array {@link #snapshotBucketVersions()} returned with it
     * @param version the lowest version of interest
     * @param action receives each such entry
     * @throws java.io.IOException when the action fails
     */
    public static <K, N, S> void forEachChangedSince(
            StateEntry<K, N, S>[] tab, int[] bucketVersions, int version, ChangedEntryVisitor<K, N, S> action)
            throws java.io.IOException {
        for (int bucket = 0; bucket < tab.length; bucket++) {
            if (bucketVersions[bucket] < version) {
                continue;
            }
            for (StateEntry<K, N, S> e = tab[bucket]; e != null; e = e.next) {
                if (e.stateVersion >= version) {
                    action.changed(e);
                }
            }
        }
    }

    /**
     * Receives changed entries from {@link #forEachChangedSince}.
     *
     * @param <K> the key type
     * @param <N> the namespace type
     * @param <S> the state type
     */
    @FunctionalInterface
    public interface ChangedEntryVisitor<K, N, S> {
        /**
         * One changed entry (not to be modified).
         *
         * @param entry the entry
         * @throws java.io.IOException when writing it fails
         */
        void changed(StateEntry<K, N, S> entry) throws java.io.IOException;
    }

    /**
     * The removals so far, for a snapshot's synchronous part; an empty view when the versions do not track
     * changes or nothing was removed.
     *
     * @return a view that stays valid while the map changes
     */
    public RemovalLog.View<K, N> removals() {
        return removals == null ? RemovalLog.View.empty() : removals.view();
    }

    /**
     * Forgets removals before {@code position}: no snapshot will build on an older one.
     *
     * @param position a position from an earlier {@link #removals()} view
     */
    public void pruneRemovalsBefore(long position) {
        if (removals != null) {
            removals.pruneBefore(position);
        }
    }

    /**
     * Iterates the entries of the current table; the map must not be modified meanwhile.
     *
     * @return an iterator over the current entries
     */
    public Iterator<StateEntry<K, N, S>> iterator() {
        return iterate(table);
    }

    /**
     * Iterates all entries reachable from a bucket array (current or snapshot).
     *
     * @param <K> the key type
     * @param <N> the namespace type
     * @param <S> the state type
     * @param tab a bucket array from {@link #snapshotTable()}
     * @return an iterator over its entries
     */
    public static <K, N, S> Iterator<StateEntry<K, N, S>> iterate(StateEntry<K, N, S>[] tab) {
        return new Iterator<>() {
            private int bucket = -1;
            private StateEntry<K, N, S> next = advance(null);

            private StateEntry<K, N, S> advance(StateEntry<K, N, S> from) {
                if (from != null && from.next != null) {
                    return from.next;
                }
                while (++bucket < tab.length) {
                    if (tab[bucket] != null) {
                        return tab[bucket];
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public StateEntry<K, N, S> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                StateEntry<K, N, S> result = next;
                next = advance(result);
                return result;
            }
        };
    }
}

package dev.cairn.state.heap.internal;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TtlTimeProvider;
import dev.cairn.state.support.CopyOnWriteStateMap;
import dev.cairn.state.support.StateEntry;
import dev.cairn.state.support.StateKind;
import dev.cairn.state.support.TtlValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Incremental TTL cleanup of one heap state: on every access of the state, checks the next few entries (a cursor
 * walks all key groups round-robin) and removes expired values, so expired state disappears even for keys that
 * are never read again. Changes are applied after the cursor's look, through the copy-on-write map, so running
 * snapshots are unaffected.
 */
final class TtlIncrementalCleanup<K, N> {
    private final StateTable<K, N, Object> table;
    private final KeyGroupRange range;
    private final long ttlMillis;
    private final TtlTimeProvider time;
    private final int entriesPerAccess;
    private int keyGroup;
    private Iterator<StateEntry<K, N, Object>> cursor;

    TtlIncrementalCleanup(
            StateTable<K, N, Object> table,
            KeyGroupRange range,
            long ttlMillis,
            TtlTimeProvider time,
            int entriesPerAccess) {
        this.table = table;
        this.range = range;
        this.ttlMillis = ttlMillis;
        this.time = time;
        this.entriesPerAccess = entriesPerAccess;
        this.keyGroup = range.getStartKeyGroup();
    }

    private record Change<K, N>(int keyGroup, K key, N namespace, Object replacement) {}

    /** Checks the next {@code entriesPerAccess} entries. */
    @SuppressWarnings("unchecked")
    void run() {
        if (range.isEmpty()) {
            return;
        }
        long now = time.currentTimestamp();
        List<Change<K, N>> changes = new ArrayList<>();
        int keyGroupsVisited = 0;
        for (int checked = 0; checked < entriesPerAccess; ) {
            if (cursor == null || !cursor.hasNext()) {
                if (cursor != null) {
                    keyGroup = keyGroup == range.getEndKeyGroup() ? range.getStartKeyGroup() : keyGroup + 1;
                    if (++keyGroupsVisited > range.getNumberOfKeyGroups()) {
                        break; // the whole state is smaller than one step
                    }
                }
                cursor = table.mapForKeyGroup(keyGroup).iterator();
                if (!cursor.hasNext()) {
                    continue;
                }
            }
            StateEntry<K, N, Object> entry = cursor.next();
            checked++;
            Object cleaned = clean(entry.state(), now);
            if (cleaned != entry.state()) {
                changes.add(new Change<>(keyGroup, entry.key(), entry.namespace(), cleaned));
            }
        }
        if (!changes.isEmpty()) {
            for (Change<K, N> change : changes) {
                CopyOnWriteStateMap<K, N, Object> map = table.mapForKeyGroup(change.keyGroup());
                if (change.replacement() == null) {
                    map.remove(change.key(), change.namespace());
                } else {
                    map.put(change.key(), change.namespace(), change.replacement());
                }
            }
            cursor = null; // the map changed under the cursor: rescan this key group next time
        }
    }

    /** The state without expired parts: the same object if nothing expired, {@code null} if everything did. */
    @SuppressWarnings("unchecked")
    private Object clean(Object state, long now) {
        StateKind kind = table.getKind();
        if (kind == StateKind.LIST) {
            List<TtlValue<?>> list = (List<TtlValue<?>>) state;
            List<TtlValue<?>> kept = new ArrayList<>(list.size());
            for (TtlValue<?> element : list) {
                if (!element.isExpired(ttlMillis, now)) {
                    kept.add(element);
                }
            }
            return kept.size() == list.size() ? state : (kept.isEmpty() ? null : kept);
        } else if (kind == StateKind.MAP) {
            Map<Object, TtlValue<?>> map = (Map<Object, TtlValue<?>>) state;
            Map<Object, TtlValue<?>> kept = new HashMap<>();
            map.forEach((k, v) -> {
                if (!v.isExpired(ttlMillis, now)) {
                    kept.put(k, v);
                }
            });
            return kept.size() == map.size() ? state : (kept.isEmpty() ? null : kept);
        }
        return ((TtlValue<?>) state).isExpired(ttlMillis, now) ? null : state;
    }
}

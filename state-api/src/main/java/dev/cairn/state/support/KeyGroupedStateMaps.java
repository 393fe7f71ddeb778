package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import java.util.function.Supplier;

/**
 * One {@link CopyOnWriteStateMap} per key group of a range: the entries of one state (or timer queue) of a heap
 * structure. Snapshots and restores work key group by key group, so rescaling is a matter of which key groups are
 * read. All maps share the given {@link SnapshotVersions} clock.
 *
 * @param <K> key type
 * @param <N> namespace type
 * @param <S> state type
 */
public final class KeyGroupedStateMaps<K, N, S> {
    private final KeyGroupRange range;
    private final CopyOnWriteStateMap<K, N, S>[] maps;

    /**
     * @param stateSerializer copies mutable state shared with a running snapshot (see {@link CopyOnWriteStateMap})
     */
    @SuppressWarnings("unchecked")
    public KeyGroupedStateMaps(
            KeyGroupRange range, SnapshotVersions versions, Supplier<TypeSerializer<S>> stateSerializer) {
        this.range = range;
        this.maps = new CopyOnWriteStateMap[range.getNumberOfKeyGroups()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new CopyOnWriteStateMap<>(versions, stateSerializer);
        }
    }

    /** The key groups. */
    public KeyGroupRange range() {
        return range;
    }

    /** The map of {@code keyGroup}, which must be in the range. */
    public CopyOnWriteStateMap<K, N, S> mapForKeyGroup(int keyGroup) {
        return maps[keyGroup - range.getStartKeyGroup()];
    }

    /** The number of entries in all key groups. */
    public int size() {
        int size = 0;
        for (CopyOnWriteStateMap<K, N, S> map : maps) {
            size += map.size();
        }
        return size;
    }

    /**
     * Captures every key group's bucket array, indexed from the range's first key group; the snapshot version must
     * have been started just before ({@link SnapshotVersions#startSnapshot()}). O(key groups).
     */
    public StateEntry<K, N, S>[][] snapshotTables() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        StateEntry<K, N, S>[][] tables = new StateEntry[maps.length][];
        for (int i = 0; i < maps.length; i++) {
            tables[i] = maps[i].snapshotTable();
        }
        return tables;
    }
}

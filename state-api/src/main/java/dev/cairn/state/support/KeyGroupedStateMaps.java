package dev.cairn.state.support;

import dev.cairn.state.KeyGroupRange;
import dev.cairn.state.TypeSerializer;
import java.util.function.Supplier;

/**
 * One {@link CopyOnWriteStateMap} per key group of a range: the entries of one state (or timer queue) of a heap
 * structure. Snapshots and restores work key group by key group, so rescaling is a matter of which key groups are
 * read. All maps share the given {@link SnapshotVersions} clock. Backends may extend it with what describes the
 * state (the heap backend's state table does), which saves a pointer hop on every access.
 *
 * @param <K> key type
 * @param <N> namespace type
 * @param <S> state type
 */
public class KeyGroupedStateMaps<K, N, S> {
    private final KeyGroupRange range;
    private final int firstKeyGroup;
    private final CopyOnWriteStateMap<K, N, S>[] maps;

    /**
     * @param stateSerializer copies mutable state shared with a running snapshot (see {@link CopyOnWriteStateMap})
     * @param range the key groups
     * @param versions the shared snapshot version clock
     */
    public KeyGroupedStateMaps(
            KeyGroupRange range, SnapshotVersions versions, Supplier<TypeSerializer<S>> stateSerializer) {
        this(range, versions, stateSerializer, false);
    }

    /**
     * For subclasses that say which serializer copies state by overriding {@link #stateSerializer()}.
     *
     * @param range the key groups
     * @param versions the shared snapshot version clock
     */
    protected KeyGroupedStateMaps(KeyGroupRange range, SnapshotVersions versions) {
        this(range, versions, null, true);
    }

    @SuppressWarnings("unchecked")
    private KeyGroupedStateMaps(
            KeyGroupRange range, SnapshotVersions versions, Supplier<TypeSerializer<S>> given, boolean overridden) {
        Supplier<TypeSerializer<S>> stateSerializer = overridden ? this::stateSerializer : given;
        this.range = range;
        this.firstKeyGroup = range.getStartKeyGroup();
        this.maps = new CopyOnWriteStateMap[range.getNumberOfKeyGroups()];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = new CopyOnWriteStateMap<>(versions, stateSerializer);
        }
    }

    /** {@return the serializer that copies state shared with a running snapshot, for subclasses using that constructor} */
    protected TypeSerializer<S> stateSerializer() {
        throw new UnsupportedOperationException("Subclasses created without a serializer supplier override this");
    }

    /** {@return the key groups} */
    public final KeyGroupRange range() {
        return range;
    }

    /**
     * {@return the map of {@code keyGroup}, which must be in the range}
     *
     * @param keyGroup a key group of the range
     */
    public final CopyOnWriteStateMap<K, N, S> mapForKeyGroup(int keyGroup) {
        return maps[keyGroup - firstKeyGroup];
    }

    /** {@return the number of entries in all key groups} */
    public final int size() {
        int size = 0;
        for (CopyOnWriteStateMap<K, N, S> map : maps) {
            size += map.size();
        }
        return size;
    }

    /**
     * Captures every key group's bucket array, indexed from the range's first key group; the snapshot version must
     * have been started just before ({@link SnapshotVersions#startSnapshot()}). O(key groups).
     *
     * @return one bucket array per key group, in range order
     */
    public final StateEntry<K, N, S>[][] snapshotTables() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        StateEntry<K, N, S>[][] tables = new StateEntry[maps.length][];
        for (int i = 0; i < maps.length; i++) {
            tables[i] = maps[i].snapshotTable();
        }
        return tables;
    }
}

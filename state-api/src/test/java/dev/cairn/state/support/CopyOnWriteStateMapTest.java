package dev.cairn.state.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.Serializers;
import dev.cairn.state.TypeSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * White-box checks of copy-on-write: after a snapshot starts, nothing reachable from its bucket array changes,
 * whatever the map does (updates, removals in the middle of collision chains, inserts, resizes, in-place
 * mutation of returned values), while the map itself behaves like a plain map.
 */
class CopyOnWriteStateMapTest {

    /** A key whose hash code is chosen, to build long collision chains. */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final TypeSerializer<List<Long>> LIST = Serializers.listOf(Serializers.LONG);

    private static Map<Key, List<Long>> contents(StateEntry<Key, String, List<Long>>[] table) {
        Map<Key, List<Long>> contents = new HashMap<>();
        Iterator<StateEntry<Key, String, List<Long>>> it = CopyOnWriteStateMap.iterate(table);
        while (it.hasNext()) {
            StateEntry<Key, String, List<Long>> e = it.next();
            assertThat(contents.put(e.key, new ArrayList<>(e.state)))
                    .as("duplicate %s", e.key)
                    .isNull();
        }
        return contents;
    }

    private static Map<Key, List<Long>> contents(CopyOnWriteStateMap<Key, String, List<Long>> map) {
        return contents(map.snapshotTable());
    }

    @Property(tries = 300)
    void snapshotsAreImmutableWhileTheMapChanges(
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 5) Integer> operations,
            @ForAll @IntRange(min = 1, max = 64) int distinctHashes,
            @ForAll long seed) {
        SnapshotVersions versions = new SnapshotVersions();
        CopyOnWriteStateMap<Key, String, List<Long>> map = new CopyOnWriteStateMap<>(versions, () -> LIST);
        Map<Key, List<Long>> model = new HashMap<>();
        Random random = new Random(seed);
        List<StateEntry<Key, String, List<Long>>[]> snapshotTables = new ArrayList<>();
        List<Map<Key, List<Long>>> snapshotModels = new ArrayList<>();
        List<Integer> snapshotVersions = new ArrayList<>();
        for (int op : operations) {
            Key key = new Key(random.nextInt(80), random.nextInt(distinctHashes));
            long value = random.nextLong();
            switch (op) {
                case 0 -> {
                    map.put(key, "ns", new ArrayList<>(List.of(value)));
                    model.put(key, new ArrayList<>(List.of(value)));
                }
                case 1 -> {
                    List<Long> list = map.get(key, "ns"); // mutated in place, as list state does
                    if (list != null) {
                        list.add(value);
                        model.get(key).add(value);
                    }
                }
                case 2 -> {
                    assertThat(map.remove(key, "ns")).isEqualTo(model.remove(key) != null);
                }
                case 3 -> {
                    snapshotVersions.add(versions.startSnapshot());
                    snapshotTables.add(map.snapshotTable());
                    Map<Key, List<Long>> copy = new HashMap<>();
                    model.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
                    snapshotModels.add(copy);
                }
                case 4 -> {
                    if (!snapshotVersions.isEmpty()) {
                        int index = random.nextInt(snapshotVersions.size());
                        // Verify before releasing: afterwards the map may reuse what the snapshot saw.
                        assertThat(contents(snapshotTables.get(index))).isEqualTo(snapshotModels.get(index));
                        versions.release(snapshotVersions.remove(index));
                        snapshotTables.remove(index);
                        snapshotModels.remove(index);
                    }
                }
                default -> {
                    for (int i = 0; i < 20; i++) {
                        Key fresh = new Key(1000 + random.nextInt(10_000), random.nextInt(distinctHashes));
                        map.put(fresh, "ns", new ArrayList<>(List.of(value)));
                        model.put(fresh, new ArrayList<>(List.of(value)));
                    }
                }
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        assertThat(contents(map)).isEqualTo(model);
        for (int i = 0; i < snapshotTables.size(); i++) {
            assertThat(contents(snapshotTables.get(i))).isEqualTo(snapshotModels.get(i));
        }
    }

    @Test
    void nothingIsCopiedWithoutARunningSnapshot() {
        SnapshotVersions versions = new SnapshotVersions();
        CopyOnWriteStateMap<Key, String, List<Long>> map = new CopyOnWriteStateMap<>(versions, () -> LIST);
        Key key = new Key(1, 1);
        map.put(key, "ns", new ArrayList<>(List.of(1L)));
        List<Long> first = map.get(key, "ns");
        assertThat(map.get(key, "ns")).isSameAs(first);

        int version = versions.startSnapshot();
        List<Long> copied = map.get(key, "ns");
        assertThat(copied).isNotSameAs(first).isEqualTo(first);
        assertThat(map.get(key, "ns")).as("copied once per snapshot").isSameAs(copied);
        versions.release(version);
        assertThat(map.get(key, "ns")).isSameAs(copied);
    }
}

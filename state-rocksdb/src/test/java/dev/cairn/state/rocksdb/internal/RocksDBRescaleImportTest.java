package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.state.KeyGroupRangeAssignment;
import dev.cairn.state.ListStateDescriptor;
import dev.cairn.state.MapStateDescriptor;
import dev.cairn.state.Serializers;
import dev.cairn.state.ValueStateDescriptor;
import dev.cairn.state.rocksdb.EmbeddedRocksDBStateBackend;
import dev.cairn.state.spi.CheckpointableKeyedStateBackend;
import dev.cairn.state.spi.KeyedBackendParameters;
import dev.cairn.state.spi.KeyedStateHandle;
import dev.cairn.state.spi.SnapshotOptions;
import dev.cairn.state.support.MemoryCheckpointStreamFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scale-in of native checkpoints takes the other instances' SST files whole (column-family import) instead of
 * copying their entries, and gives exactly the state a copy gives: values, merged lists, maps, a state only another
 * instance had, and state written after the rescaling; files left by an earlier rescaling (foreign key groups under
 * range deletions) overlap, and such a handle is copied instead.
 */
class RocksDBRescaleImportTest {
    private static final int MAX_PARALLELISM = 128;
    private static final int KEYS = 3_000;
    private static final ValueStateDescriptor<Integer> VALUE = new ValueStateDescriptor<>("value", Serializers.INT);
    private static final ListStateDescriptor<String> LIST = new ListStateDescriptor<>("list", Serializers.STRING);
    private static final MapStateDescriptor<Integer, String> MAP =
            new MapStateDescriptor<>("map", Serializers.INT, Serializers.STRING);
    /** Written only for keys of the upper half of the key groups: the base instance never had its column family. */
    private static final ValueStateDescriptor<String> UPPER = new ValueStateDescriptor<>("upper", Serializers.STRING);

    @TempDir
    Path directory;

    private final List<CheckpointableKeyedStateBackend<String>> open = new ArrayList<>();
    private long checkpointId = 1;

    @AfterEach
    void closeAll() {
        open.forEach(CheckpointableKeyedStateBackend::close);
        RocksDBColumnFamilyImport.checkOverlapsFirst = true;
    }

    private CheckpointableKeyedStateBackend<String> instance(
            boolean incremental, int index, int parallelism, List<KeyedStateHandle> handles) {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend(incremental);
        backend.setDbStoragePaths(directory.toString());
        CheckpointableKeyedStateBackend<String> instance =
                backend.createKeyedStateBackend(KeyedBackendParameters.builder(Serializers.STRING)
                        .numberOfKeyGroups(MAX_PARALLELISM)
                        .instance(index, parallelism)
                        .restoreFrom(handles)
                        .build());
        open.add(instance);
        return instance;
    }

    private List<CheckpointableKeyedStateBackend<String>> instances(
            boolean incremental, int parallelism, List<KeyedStateHandle> handles) {
        List<CheckpointableKeyedStateBackend<String>> instances = new ArrayList<>();
        for (int index = 0; index < parallelism; index++) {
            instances.add(instance(incremental, index, parallelism, handles));
        }
        return instances;
    }

    private static CheckpointableKeyedStateBackend<String> ownerOf(
            List<CheckpointableKeyedStateBackend<String>> instances, String key) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
        return instances.stream()
                .filter(instance -> instance.getKeyGroupRange().contains(keyGroup))
                .findFirst()
                .orElseThrow();
    }

    /** Round {@code round}'s writes: every key's value and map, an append to its list, and "upper" for upper keys. */
    private static void write(List<CheckpointableKeyedStateBackend<String>> instances, int round) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            CheckpointableKeyedStateBackend<String> owner = ownerOf(instances, key);
            owner.setCurrentKey(key);
            owner.getState(VALUE).update(i * 10 + round);
            owner.getState(LIST).add("r" + round);
            owner.getState(MAP).put(round, key);
            if (i % 7 == round % 7) {
                owner.getState(MAP).remove(round - 1);
            }
            if (KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM) >= MAX_PARALLELISM / 2) {
                owner.getState(UPPER).update("u" + round);
            }
        }
    }

    private static Map<String, String> contents(List<CheckpointableKeyedStateBackend<String>> instances)
            throws Exception {
        Map<String, String> contents = new TreeMap<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            CheckpointableKeyedStateBackend<String> owner = ownerOf(instances, key);
            owner.setCurrentKey(key);
            Map<Integer, String> map = new TreeMap<>();
            owner.getState(MAP).entries().forEach(entry -> map.put(entry.getKey(), entry.getValue()));
            contents.put(
                    key,
                    owner.getState(VALUE).value() + " " + owner.getState(LIST).get() + " " + map + " "
                            + owner.getState(UPPER).value());
        }
        return contents;
    }

    private List<KeyedStateHandle> checkpoint(List<CheckpointableKeyedStateBackend<String>> instances)
            throws Exception {
        List<KeyedStateHandle> handles = new ArrayList<>();
        long id = checkpointId++;
        for (CheckpointableKeyedStateBackend<String> instance : instances) {
            var future =
                    instance.snapshot(id, id, new MemoryCheckpointStreamFactory(1 << 30), SnapshotOptions.checkpoint());
            future.run();
            handles.add(future.get().getHandle());
            instance.notifyCheckpointComplete(id);
        }
        return handles;
    }

    private static int imported(CheckpointableKeyedStateBackend<String> instance) {
        return ((RocksDBKeyedStateBackend<String>) instance).handlesImported();
    }

    @ParameterizedTest(name = "incremental={0}")
    @ValueSource(booleans = {true, false})
    void scaleInImportsTheOtherInstancesFilesAndKeepsEveryEntry(boolean incremental) throws Exception {
        List<CheckpointableKeyedStateBackend<String>> four = instances(incremental, 4, List.of());
        write(four, 1);
        checkpoint(four);
        write(four, 2); // a second checkpoint: incremental handles then reference files of the first
        List<KeyedStateHandle> handles = checkpoint(four);
        Map<String, String> expected = contents(four);

        List<CheckpointableKeyedStateBackend<String>> two = instances(incremental, 2, handles);
        assertThat(two).allSatisfy(instance -> assertThat(imported(instance)).isEqualTo(1));
        assertThat(contents(two)).isEqualTo(expected);

        List<CheckpointableKeyedStateBackend<String>> one = instances(incremental, 1, handles);
        assertThat(imported(one.get(0))).isEqualTo(3);
        assertThat(contents(one)).isEqualTo(expected);
        // Handles in any order: the base is the first of them, the others fill the gaps around it.
        List<KeyedStateHandle> shuffled = List.of(handles.get(1), handles.get(3), handles.get(0), handles.get(2));
        List<CheckpointableKeyedStateBackend<String>> fromShuffled = instances(incremental, 1, shuffled);
        assertThat(imported(fromShuffled.get(0))).isEqualTo(3);
        assertThat(contents(fromShuffled)).isEqualTo(expected);
        assertThat(one.get(0).numKeyValueStateEntries()).isEqualTo(sum(four));

        // The imported state goes on: written, checkpointed, restored at the same and at a larger parallelism.
        write(one, 3);
        Map<String, String> later = contents(one);
        List<KeyedStateHandle> again = checkpoint(one);
        assertThat(contents(instances(incremental, 1, again))).isEqualTo(later);
        assertThat(contents(instances(incremental, 3, again))).isEqualTo(later);
    }

    @ParameterizedTest(name = "incremental={0}")
    @ValueSource(booleans = {true, false})
    void filesOfAnEarlierRescalingOverlapAndAreCopiedInstead(boolean incremental) throws Exception {
        List<CheckpointableKeyedStateBackend<String>> one = instances(incremental, 1, List.of());
        write(one, 1);
        List<KeyedStateHandle> first = checkpoint(one);
        // Scale-out: both instances start from the whole database and drop the other half with range deletions,
        // so their files still span every key group.
        List<CheckpointableKeyedStateBackend<String>> two = instances(incremental, 2, first);
        write(two, 2);
        List<KeyedStateHandle> second = checkpoint(two);
        Map<String, String> expected = contents(two);

        List<CheckpointableKeyedStateBackend<String>> back = instances(incremental, 1, second);
        assertThat(imported(back.get(0))).isZero();
        assertThat(contents(back)).isEqualTo(expected);
        assertThat(back.get(0).numKeyValueStateEntries()).isEqualTo(sum(two));
    }

    @ParameterizedTest(name = "incremental={0}")
    @ValueSource(booleans = {true, false})
    void anImportRocksDBRefusesFallsBackToCopyingWithTheBaseIntact(boolean incremental) throws Exception {
        List<CheckpointableKeyedStateBackend<String>> one = instances(incremental, 1, List.of());
        write(one, 1);
        List<CheckpointableKeyedStateBackend<String>> two = instances(incremental, 2, checkpoint(one));
        write(two, 2);
        List<KeyedStateHandle> second = checkpoint(two);
        Map<String, String> expected = contents(two);

        // Without the check up front, RocksDB itself refuses the overlapping files: the base's column families are
        // imported back from their own export and the other handle is copied.
        RocksDBColumnFamilyImport.checkOverlapsFirst = false;
        List<CheckpointableKeyedStateBackend<String>> back = instances(incremental, 1, second);
        assertThat(imported(back.get(0))).isZero();
        assertThat(contents(back)).isEqualTo(expected);
        assertThat(back.get(0).numKeyValueStateEntries()).isEqualTo(sum(two));
        write(back, 3);
        Map<String, String> later = contents(back);
        assertThat(contents(instances(incremental, 2, checkpoint(back)))).isEqualTo(later);
    }

    private static long sum(List<CheckpointableKeyedStateBackend<String>> instances) {
        return instances.stream()
                .mapToLong(CheckpointableKeyedStateBackend::numKeyValueStateEntries)
                .sum();
    }
}

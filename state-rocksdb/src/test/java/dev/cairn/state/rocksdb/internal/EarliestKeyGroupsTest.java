package dev.cairn.state.rocksdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The order of key groups by earliest timer, against a sorted set through random updates and removals. */
class EarliestKeyGroupsTest {
    @Test
    void firstIsTheKeyGroupWithTheEarliestTimerTiesToTheLowerIndex() {
        int keyGroups = 37;
        EarliestKeyGroups heads = new EarliestKeyGroups(keyGroups);
        Map<Integer, Long> timestamps = new HashMap<>();
        TreeSet<Integer> model =
                new TreeSet<>(Comparator.<Integer>comparingLong(timestamps::get).thenComparingInt(index -> index));
        assertThat(heads.first()).isEqualTo(-1);
        Random random = new Random(3);
        for (int step = 0; step < 20_000; step++) {
            int index = random.nextInt(keyGroups);
            if (timestamps.containsKey(index)) {
                model.remove(index); // before its timestamp changes: the set finds it by that
            }
            if (random.nextInt(4) == 0) {
                timestamps.remove(index);
                heads.remove(index);
            } else {
                long timestamp = random.nextInt(50); // many ties
                timestamps.put(index, timestamp);
                model.add(index);
                heads.update(index, timestamp);
            }
            assertThat(heads.first()).isEqualTo(model.isEmpty() ? -1 : model.first());
        }
        while (!model.isEmpty()) {
            int first = model.pollFirst();
            assertThat(heads.first()).isEqualTo(first);
            heads.remove(first);
        }
        assertThat(heads.first()).isEqualTo(-1);
    }
}

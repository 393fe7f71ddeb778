package dev.cairn.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyGroupRangeAssignmentTest {

    @Property
    void operatorRangesPartitionAllKeyGroups(
            @ForAll @IntRange(min = 1, max = 4096) int maxParallelism, @ForAll @IntRange(min = 1, max = 4096) int p) {
        int parallelism = Math.min(p, maxParallelism);
        int next = 0;
        for (int index = 0; index < parallelism; index++) {
            KeyGroupRange range =
                    KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index);
            assertThat(range.getStartKeyGroup()).isEqualTo(next);
            assertThat(range.isEmpty()).isFalse();
            for (int keyGroup : new int[] {range.getStartKeyGroup(), range.getEndKeyGroup()}) {
                assertThat(KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
                                maxParallelism, parallelism, keyGroup))
                        .isEqualTo(index);
            }
            next = range.getEndKeyGroup() + 1;
        }
        assertThat(next).isEqualTo(maxParallelism);
    }

    @Property
    void keyGroupsAreInRange(@ForAll String key, @ForAll @IntRange(min = 1, max = 32768) int maxParallelism) {
        int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
        assertThat(keyGroup).isBetween(0, maxParallelism - 1);
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism))
                .isEqualTo(keyGroup);
    }

    @Test
    void sequentialKeysSpreadEvenlyOverKeyGroups() {
        int[] counts = new int[128];
        for (long key = 0; key < 128_000; key++) {
            counts[KeyGroupRangeAssignment.assignToKeyGroup(key, 128)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(800, 1200);
        }
    }

    @Test
    void keyGroupAssignmentIsStableAndFlinks() {
        // Part of the snapshot contract: snapshots of format 2 put these keys in these key groups, forever. The
        // values are Flink 2.3's (org.apache.flink.runtime.state.KeyGroupRangeAssignment; the differential tests
        // compare the two over random keys).
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup("alice", 128)).isEqualTo(116);
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup(42L, 128)).isEqualTo(29);
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup("bob", 32768)).isEqualTo(87);
        assertThat(KeyGroupRangeAssignment.assignToKeyGroup(7, 1000)).isEqualTo(321);
    }

    @Test
    void invalidParallelismIsRejected() {
        assertThatThrownBy(() -> KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, 129, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129");
        assertThatThrownBy(() -> KeyGroupRangeAssignment.checkParallelism(40000, 1))
                .hasMessageContaining("32768");
        assertThatThrownBy(() -> KeyGroupRangeAssignment.assignToKeyGroup(null, 128))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void rangeIntersection() {
        assertThat(KeyGroupRange.of(0, 9).intersection(KeyGroupRange.of(5, 20))).isEqualTo(KeyGroupRange.of(5, 9));
        assertThat(KeyGroupRange.of(0, 4).intersection(KeyGroupRange.of(5, 20)).isEmpty())
                .isTrue();
        assertThat(KeyGroupRange.of(3, 2)).isEqualTo(KeyGroupRange.EMPTY);
    }
}
